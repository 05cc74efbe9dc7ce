package io.github.idempotency.internal.claim;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyObserver.Renewal;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.timer.DaemonTimer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Renews the claims of running calls: every third of a claim's lock timeout, one
 * owner-checked store call at a time extends its lock by another lock timeout, for at
 * most the renewal limit. A call slower than its lock timeout keeps its key, while the
 * key of an instance that died frees itself one lock timeout after its last renewal. A
 * renewal that finds the claim taken over marks it lost. Renewals run on two threads of
 * their own ({@code idempotency-renewal}): a store whose asynchronous calls never block
 * is called asynchronously, any other there; a request thread or an event loop is never
 * used.
 */
final class ClaimRenewer implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ClaimRenewer.class);

	private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	/** Renewals fall due on this tick: one wake-up for all claims settled within it. */
	private static final Duration TICK = Duration.ofMillis(10);

	private final IdempotencyStore store;

	private final IdempotencyObserver observer;

	private final long limitNanos;

	private final DaemonTimer scheduler;

	private final AtomicBoolean supported = new AtomicBoolean(true);

	ClaimRenewer(IdempotencyStore store, IdempotencyObserver observer, Duration limit) {
		this.store = store;
		this.observer = observer;
		this.limitNanos = limit.toNanos();
		this.scheduler = new DaemonTimer("idempotency-renewal", 2, TICK);
	}

	/**
	 * Starts renewing a claim until it is settled, lost or the limit has passed.
	 * @param claim a claim just taken
	 */
	void start(Claim claim) {
		if (this.limitNanos > 0 && this.supported.get()) {
			schedule(claim, System.nanoTime());
		}
	}

	private void schedule(Claim claim, long startedNanos) {
		long period = Math.max(MIN_PERIOD_NANOS, claim.lockTimeout().toNanos() / 3);
		if (claim.isSettled() || this.scheduler.isClosed()) {
			return;
		}
		claim.nextRenewal(this.scheduler.schedule(() -> renew(claim, startedNanos), period));
	}

	private void renew(Claim claim, long startedNanos) {
		if (claim.isSettled()) {
			return;
		}
		if (System.nanoTime() - startedNanos > this.limitNanos) {
			logger.warn("Stopped renewing the claim of " + claim.endpoint() + " for key " + claim.storageKey()
					+ ": it has run longer than idempotency.renewal-limit (" + Duration.ofNanos(this.limitNanos)
					+ "); its key frees itself when its lock timeout passes");
			return;
		}
		call(claim).whenComplete((renewed, failure) -> renewed(claim, startedNanos, renewed, failure));
	}

	private CompletionStage<Boolean> call(Claim claim) {
		try {
			if (this.store.isBlocking()) {
				return CompletableFuture
					.completedFuture(this.store.renew(claim.storageKey(), claim.owner(), claim.lockTimeout()));
			}
			return this.store.renewAsync(claim.storageKey(), claim.owner(), claim.lockTimeout());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private void renewed(Claim claim, long startedNanos, Boolean renewed, Throwable failure) {
		if (claim.isSettled()) {
			return;
		}
		Throwable cause = Stages.unwrap(failure);
		if (cause instanceof UnsupportedOperationException) {
			if (this.supported.compareAndSet(true, false)) {
				logger.info("Claims are not renewed: " + cause.getMessage()
						+ ". A claim lives its lock timeout from the claim, so lock-timeout must exceed the slowest call");
			}
			return;
		}
		if (cause != null) {
			this.observer.onRenewal(Renewal.FAILED, claim.endpoint());
			if (logger.isDebugEnabled()) {
				logger.debug("Could not renew the claim of " + claim.endpoint() + " for key " + claim.storageKey()
						+ "; trying again", cause);
			}
			schedule(claim, startedNanos);
			return;
		}
		if (Boolean.TRUE.equals(renewed)) {
			this.observer.onRenewal(Renewal.RENEWED, claim.endpoint());
			schedule(claim, startedNanos);
			return;
		}
		claim.lostWhileRunning();
		this.observer.onRenewal(Renewal.LOST, claim.endpoint());
	}

	@Override
	public void close() {
		this.scheduler.close();
	}

}
