package io.github.idempotency.internal.claim;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.timer.DaemonTimer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Duplicates that wait for the call in flight with their key, holding no thread while
 * they wait. A waiter makes the same claim again after a pause that starts at
 * {@value #FIRST_PAUSE_MILLIS} ms and doubles up to {@value #LONGEST_PAUSE_MILLIS} ms,
 * and at once when a call of this instance settles the key, until the store answers
 * anything but "in flight with the same fingerprint" or the wait is over. Because a
 * waiter's question is a claim, a key the first call released is claimed by exactly one
 * waiter, which then runs. The store calls run on two threads of their own
 * ({@code idempotency-wait}): a store whose asynchronous calls never block is called
 * asynchronously, any other there.
 */
final class InProgressWaits implements AutoCloseable {

	static final long FIRST_PAUSE_MILLIS = 10;

	static final long LONGEST_PAUSE_MILLIS = 250;

	private static final Log logger = LogFactory.getLog(InProgressWaits.class);

	private final IdempotencyStore store;

	private final DaemonTimer timer = new DaemonTimer("idempotency-wait", 2, Duration.ZERO);

	private final ConcurrentMap<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();

	InProgressWaits(IdempotencyStore store) {
		this.store = store;
	}

	/**
	 * Starts waiting for the call in flight with a key.
	 * @param storageKey the store key
	 * @param owner the owner token the waiter claims the key with
	 * @param fingerprint the waiter's fingerprint
	 * @param lockTimeout the lock timeout of a claim the waiter takes
	 * @param wait how long it waits at most
	 * @param first what the store answered first
	 * @return the waiter
	 */
	Waiter start(String storageKey, String owner, String fingerprint, Duration lockTimeout, Duration wait,
			ClaimResult.InFlight first) {
		Waiter waiter = new Waiter(storageKey, owner, fingerprint, lockTimeout, System.nanoTime() + wait.toNanos(),
				first);
		this.waiting.compute(storageKey, (key, waiters) -> {
			Set<Waiter> all = (waiters != null) ? waiters : ConcurrentHashMap.newKeySet();
			all.add(waiter);
			return all;
		});
		waiter.scheduleNext();
		return waiter;
	}

	/**
	 * A call of this instance settled a key: its waiters ask the store at once.
	 * @param storageKey the store key
	 */
	void settled(String storageKey) {
		Set<Waiter> waiters = this.waiting.get(storageKey);
		if (waiters != null) {
			waiters.forEach(Waiter::wake);
		}
	}

	/**
	 * Ends every wait with the store's last answer; called when the application context
	 * closes.
	 */
	@Override
	public void close() {
		this.timer.close();
		this.waiting.values().forEach((waiters) -> waiters.forEach(Waiter::stop));
	}

	/**
	 * One duplicate waiting. Its polls form one chain: a poll is scheduled only once the
	 * previous one has been answered.
	 */
	final class Waiter {

		private final CompletableFuture<ClaimResult> result = new CompletableFuture<>();

		private final String storageKey;

		private final String owner;

		private final String fingerprint;

		private final Duration lockTimeout;

		private final long deadline;

		private final AtomicBoolean woken = new AtomicBoolean();

		private volatile ClaimResult.InFlight last;

		private volatile long pauseNanos = TimeUnit.MILLISECONDS.toNanos(FIRST_PAUSE_MILLIS);

		private volatile @Nullable ScheduledFuture<?> next;

		private Waiter(String storageKey, String owner, String fingerprint, Duration lockTimeout, long deadline,
				ClaimResult.InFlight first) {
			this.storageKey = storageKey;
			this.owner = owner;
			this.fingerprint = fingerprint;
			this.lockTimeout = lockTimeout;
			this.deadline = deadline;
			this.last = first;
		}

		/**
		 * @return the store's answer that ends the wait: anything but in flight with the
		 * same fingerprint, or the last in-flight answer once the wait is over; it fails
		 * when the store failed
		 */
		CompletionStage<ClaimResult> result() {
			return this.result;
		}

		/**
		 * Stops asking the store: the wait ends with the last answer, unless it has
		 * ended. A claim a poll still in progress takes is given back.
		 */
		void stop() {
			finish(this.last);
		}

		private void scheduleNext() {
			if (this.result.isDone()) {
				return;
			}
			long remaining = this.deadline - System.nanoTime();
			if (remaining <= 0) {
				finish(this.last);
				return;
			}
			long pause = this.pauseNanos;
			this.pauseNanos = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(LONGEST_PAUSE_MILLIS));
			long delay = this.woken.getAndSet(false) ? 0 : Math.min(pause, remaining);
			ScheduledFuture<?> scheduled;
			try {
				scheduled = InProgressWaits.this.timer.schedule(this::poll, delay);
			}
			catch (RejectedExecutionException ex) {
				finish(this.last);
				return;
			}
			this.next = scheduled;
			if (this.woken.get()) {
				wake();
			}
		}

		private void wake() {
			this.woken.set(true);
			ScheduledFuture<?> scheduled = this.next;
			if (scheduled != null && scheduled.cancel(false)) {
				try {
					InProgressWaits.this.timer.execute(this::poll);
				}
				catch (RejectedExecutionException ex) {
					finish(this.last);
				}
			}
		}

		private void poll() {
			this.woken.set(false);
			if (this.result.isDone()) {
				return;
			}
			call().whenComplete(this::answered);
		}

		private CompletionStage<ClaimResult> call() {
			IdempotencyStore store = InProgressWaits.this.store;
			try {
				if (store.isBlocking()) {
					return CompletableFuture
						.completedFuture(store.claim(this.storageKey, this.owner, this.fingerprint, this.lockTimeout));
				}
				return store.claimAsync(this.storageKey, this.owner, this.fingerprint, this.lockTimeout);
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}

		private void answered(@Nullable ClaimResult answer, @Nullable Throwable failure) {
			if (failure != null || answer == null) {
				this.result.completeExceptionally((failure != null) ? Stages.unwrap(failure)
						: new IllegalStateException("The store answered a claim with null"));
				ended();
				return;
			}
			if (answer instanceof ClaimResult.InFlight inFlight && inFlight.fingerprint().equals(this.fingerprint)) {
				this.last = inFlight;
				scheduleNext();
				return;
			}
			if (!this.result.complete(answer) && answer instanceof ClaimResult.Claimed) {
				giveBack();
			}
			ended();
		}

		/** A claim taken after the wait ended belongs to nobody: it is released. */
		private void giveBack() {
			Stages.call(() -> InProgressWaits.this.store.releaseAsync(this.storageKey, this.owner))
				.whenComplete((released, failure) -> {
					if (failure != null) {
						logger.warn("Could not release key " + this.storageKey + ", claimed after its wait ended; "
								+ "it frees itself when its lock timeout passes", Stages.unwrap(failure));
					}
				});
		}

		private void finish(ClaimResult answer) {
			this.result.complete(answer);
			ended();
		}

		private void ended() {
			ScheduledFuture<?> scheduled = this.next;
			if (scheduled != null) {
				scheduled.cancel(false);
			}
			InProgressWaits.this.waiting.computeIfPresent(this.storageKey, (key, waiters) -> {
				waiters.remove(this);
				return waiters.isEmpty() ? null : waiters;
			});
		}

	}

}
