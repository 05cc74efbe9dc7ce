package io.github.idempotency.internal.claim;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyObserver.Outcome;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A key claimed for one call, settled exactly once: {@link #complete} stores the call's
 * result, {@link #release} gives the key up so a retry runs again. Either counts the call
 * as executed; a claim that expired and was taken over meanwhile is left alone, logged
 * and counted as a lost claim.
 */
public final class Claim {

	private static final Log logger = LogFactory.getLog(Claim.class);

	private final IdempotencyStore store;

	private final IdempotencyObserver observer;

	private final String endpoint;

	private final String storageKey;

	private final String owner;

	private final Duration lockTimeout;

	private final Consumer<String> settledKeys;

	private final AtomicBoolean settled = new AtomicBoolean();

	private volatile @Nullable Future<?> nextRenewal;

	private volatile boolean lostReported;

	Claim(IdempotencyStore store, IdempotencyObserver observer, String endpoint, String storageKey, String owner,
			Duration lockTimeout, Consumer<String> settledKeys) {
		this.store = store;
		this.observer = observer;
		this.endpoint = endpoint;
		this.storageKey = storageKey;
		this.owner = owner;
		this.lockTimeout = lockTimeout;
		this.settledKeys = settledKeys;
	}

	/**
	 * @return the store key
	 */
	public String storageKey() {
		return this.storageKey;
	}

	/**
	 * @return the idempotent method, as {@code Type#method}
	 */
	public String endpoint() {
		return this.endpoint;
	}

	/**
	 * @return the owner token of this claim
	 */
	String owner() {
		return this.owner;
	}

	/**
	 * @return how long the claim lives unless settled or renewed
	 */
	Duration lockTimeout() {
		return this.lockTimeout;
	}

	/**
	 * @return whether the claim is being or was settled, so it is renewed no more
	 */
	boolean isSettled() {
		return this.settled.get();
	}

	/**
	 * Keeps the claim's next renewal, to cancel it once the claim is settled.
	 * @param renewal the scheduled renewal
	 */
	void nextRenewal(Future<?> renewal) {
		this.nextRenewal = renewal;
		if (this.settled.get()) {
			renewal.cancel(false);
		}
	}

	/**
	 * Stops renewing: the claim is about to be settled.
	 */
	private void settling() {
		if (this.settled.compareAndSet(false, true)) {
			Future<?> renewal = this.nextRenewal;
			if (renewal != null) {
				renewal.cancel(false);
			}
		}
	}

	/**
	 * A renewal found the key held by another request: the claim expired before a renewal
	 * reached the store (the store was unreachable for longer than the lock timeout), and
	 * the call's result will not be stored. Logged and counted once.
	 */
	void lostWhileRunning() {
		lost("lost its claim while running (no renewal reached the store within its lock timeout of " + this.lockTimeout
				+ ")", "its result will not be stored");
	}

	/**
	 * Opens the scope in which the call runs, on the thread that runs it (see
	 * {@link IdempotencyStore#executing}); close it once the call returned or threw.
	 * @param ttl how long the record is kept once the call took effect
	 * @return the scope
	 */
	public IdempotencyStore.Execution running(Duration ttl) {
		return this.store.executing(this.storageKey, this.owner, ttl);
	}

	/**
	 * Stores the call's result for {@code ttl}. A store failure is logged, not thrown:
	 * the call has run and its result is delivered all the same.
	 * @param response the result to replay
	 * @param ttl how long it is kept
	 */
	public void complete(StoredResponse response, Duration ttl) {
		settling();
		this.observer.onOutcome(Outcome.EXECUTED, this.endpoint);
		try {
			completed(this.store.complete(this.storageKey, this.owner, response, ttl));
		}
		catch (RuntimeException ex) {
			notStored("the store failed", ex);
		}
		finally {
			settledInStore();
		}
	}

	/**
	 * {@link #complete} without waiting for the store.
	 * @param response the result to replay
	 * @param ttl how long it is kept
	 * @return a stage that completes once the store answered; it never fails
	 */
	public CompletionStage<Void> completeAsync(StoredResponse response, Duration ttl) {
		settling();
		this.observer.onOutcome(Outcome.EXECUTED, this.endpoint);
		return Stages.call(() -> this.store.completeAsync(this.storageKey, this.owner, response, ttl))
			.handle((stored, failure) -> {
				if (failure != null) {
					notStored("the store failed", Stages.unwrap(failure));
				}
				else {
					completed(stored);
				}
				settledInStore();
				return null;
			});
	}

	private void completed(boolean stored) {
		if (!stored) {
			lost("finished after its lock timeout (" + this.lockTimeout + ")",
					"its result was delivered but not stored");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Executed " + this.endpoint + " for key " + this.storageKey);
		}
	}

	/**
	 * Leaves the claim as it is when the call's result cannot be stored: the call has
	 * run, so the key stays claimed until its lock timeout passes rather than letting a
	 * retry run it again at once.
	 * @param reason why the result cannot be stored
	 * @param cause what failed
	 */
	public void keep(String reason, Throwable cause) {
		settling();
		this.observer.onOutcome(Outcome.EXECUTED, this.endpoint);
		notStored(reason, cause);
	}

	/**
	 * Leaves the claim to expire when the request was answered without the call's result
	 * while the call may still be running (an asynchronous handler past its timeout): a
	 * retry runs only once the lock timeout has passed, not beside the call.
	 * @param reason why the result is not there
	 */
	public void abandon(String reason) {
		settling();
		this.observer.onOutcome(Outcome.EXECUTED, this.endpoint);
		logger.warn("Did not store the result of " + this.endpoint + " for key " + this.storageKey + ": " + reason
				+ "; the key stays claimed until its lock timeout (" + this.lockTimeout + ") passes");
	}

	private void notStored(String reason, Throwable cause) {
		logger.error("Could not store the result of " + this.endpoint + " for key " + this.storageKey + " (" + reason
				+ "); it was delivered, and the key stays claimed until its lock timeout passes", cause);
	}

	/**
	 * Gives the key up so a retry runs again. A store failure is logged, not thrown: the
	 * claim then frees itself when its lock timeout passes.
	 * @param reason why, for the log
	 */
	public void release(String reason) {
		release(reason, null, null);
	}

	/**
	 * Gives the key up so a retry runs again, unless the call's changes have already
	 * committed with its record (JDBC store): then the record cannot be released, and the
	 * response it answered is stored instead, so a retry gets that answer rather than
	 * {@code 410 response-lost}. A store failure is logged, not thrown.
	 * @param reason why, for the log
	 * @param response the answer to store should the call have taken effect, or
	 * {@code null}
	 * @param ttl how long it is kept
	 */
	public void release(String reason, @Nullable StoredResponse response, @Nullable Duration ttl) {
		settling();
		releasing(reason);
		try {
			if (this.store.release(this.storageKey, this.owner)) {
				return;
			}
			if (response != null && ttl != null && this.store.complete(this.storageKey, this.owner, response, ttl)) {
				if (logger.isDebugEnabled()) {
					logger.debug("Stored the answer of " + this.endpoint + " (" + reason + ") for key "
							+ this.storageKey + " instead of releasing it: its changes had committed");
				}
			}
			else {
				lost("could not release its key (" + reason + ") because its lock timeout had passed, or because "
						+ "its changes had committed (JDBC store: a retry gets 410 response-lost)", "");
			}
		}
		catch (RuntimeException ex) {
			notReleased(reason, ex);
		}
		finally {
			settledInStore();
		}
	}

	/**
	 * Gives the key up when the call never started (its request was refused before the
	 * method ran: an unreadable or invalid body, an interceptor), so a corrected retry
	 * runs; the call counts as {@code not_run}. A store failure is logged, not thrown.
	 * @param reason why, for the log
	 */
	public void withdraw(String reason) {
		settling();
		withdrawing(reason);
		try {
			releasedOrLost(reason, this.store.release(this.storageKey, this.owner));
		}
		catch (RuntimeException ex) {
			notReleased(reason, ex);
		}
		finally {
			settledInStore();
		}
	}

	/**
	 * {@link #withdraw} without waiting for the store.
	 * @param reason why, for the log
	 * @return a stage that completes once the store answered; it never fails
	 */
	public CompletionStage<Void> withdrawAsync(String reason) {
		settling();
		withdrawing(reason);
		return givenBack(reason);
	}

	/**
	 * {@link #release(String)} without waiting for the store.
	 * @param reason why, for the log
	 * @return a stage that completes once the store answered; it never fails
	 */
	public CompletionStage<Void> releaseAsync(String reason) {
		settling();
		releasing(reason);
		return givenBack(reason);
	}

	private CompletionStage<Void> givenBack(String reason) {
		return Stages.call(() -> this.store.releaseAsync(this.storageKey, this.owner)).handle((released, failure) -> {
			if (failure != null) {
				notReleased(reason, Stages.unwrap(failure));
			}
			else {
				releasedOrLost(reason, released);
			}
			settledInStore();
			return null;
		});
	}

	/**
	 * The store has the claim's result or released it: duplicates of this instance that
	 * wait for it ask the store at once.
	 */
	private void settledInStore() {
		this.settledKeys.accept(this.storageKey);
	}

	private void withdrawing(String reason) {
		this.observer.onOutcome(Outcome.NOT_RUN, this.endpoint);
		if (logger.isDebugEnabled()) {
			logger.debug("Not run " + this.endpoint + " (" + reason + "; key released) for key " + this.storageKey);
		}
	}

	private void releasedOrLost(String reason, boolean released) {
		if (!released) {
			lost("could not release its key (" + reason + ") because its lock timeout had passed", "");
		}
	}

	private void releasing(String reason) {
		this.observer.onOutcome(Outcome.EXECUTED, this.endpoint);
		if (logger.isDebugEnabled()) {
			logger.debug("Executed " + this.endpoint + " (" + reason + "; key released) for key " + this.storageKey);
		}
	}

	private void notReleased(String reason, Throwable cause) {
		logger.warn("Could not release key " + this.storageKey + " of " + this.endpoint + " (" + reason
				+ "); it frees itself when its lock timeout passes", cause);
	}

	private void lost(String what, String consequence) {
		if (this.lostReported) {
			return;
		}
		this.lostReported = true;
		logger.warn("Lost claim: " + this.endpoint + " " + what + " for key " + this.storageKey + "; "
				+ (consequence.isEmpty() ? "" : consequence + ", and ") + "the newer record was left untouched");
		this.observer.onOutcome(Outcome.LOST_CLAIM, this.endpoint);
	}

}
