package io.github.idempotency.internal.claim;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyObserver.Outcome;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoreFailureMode;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.observation.IdempotencyObservation;
import io.github.idempotency.internal.observation.ObservedIdempotencyStore;
import io.github.idempotency.internal.observation.OutcomeObserver;
import io.github.idempotency.internal.observation.SafeObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * Claim, then decide, then settle: the sequence every door runs around an idempotent call,
 * whatever carries the key (an HTTP header, a method argument). {@link #claim} makes the one
 * store call before the call and turns its result into a {@link Decision}; a
 * {@link Decision.Run} carries the {@link Claim} that is settled once the result is known —
 * completed with what is replayed later, or released so a retry runs again.
 *
 * <p>Every store call is timed and every outcome counted on the observer, whose failures never
 * change a decision; one DEBUG line names each decision with the endpoint and the hashed store
 * key, never the client's key.
 */
public final class ClaimSequence {

	private static final Log logger = LogFactory.getLog(ClaimSequence.class);

	private final IdempotencyStore store;

	private final IdempotencyObserver observer;

	private final StoreFailureMode storeFailureMode;

	private final ObservationRegistry observations;

	/**
	 * Creates the sequence, without observations.
	 * @param store where claims live
	 * @param observer receives outcomes and store timings; whatever it throws is logged
	 * @param storeFailureMode what to do when the store fails
	 */
	public ClaimSequence(IdempotencyStore store, IdempotencyObserver observer, StoreFailureMode storeFailureMode) {
		this(store, observer, storeFailureMode, ObservationRegistry.NOOP);
	}

	/**
	 * Creates the sequence.
	 * @param store where claims live
	 * @param observer receives outcomes and store timings; whatever it throws is logged
	 * @param storeFailureMode what to do when the store fails
	 * @param observations where calls and store calls are observed ({@link IdempotencyObservation});
	 * {@link ObservationRegistry#NOOP} observes nothing
	 */
	public ClaimSequence(IdempotencyStore store, IdempotencyObserver observer, StoreFailureMode storeFailureMode,
			ObservationRegistry observations) {
		Assert.notNull(store, "store must not be null");
		Assert.notNull(observer, "observer must not be null");
		Assert.notNull(storeFailureMode, "storeFailureMode must not be null");
		Assert.notNull(observations, "observations must not be null");
		this.observations = observations;
		this.observer = new OutcomeObserver(SafeObserver.of(observer), observations);
		this.store = new ObservedIdempotencyStore(store, this.observer, observations);
		this.storeFailureMode = storeFailureMode;
	}

	/**
	 * Starts the observation of one request or call ({@link IdempotencyObservation#CALL}); the
	 * door opens its scope around the store calls it makes and stops it once the call is
	 * settled. Outcomes reported while its scope is open become its {@code outcome}.
	 * @param endpoint the idempotent method, as {@code Type#method}
	 * @return the started observation, a no-op one without an observation registry
	 */
	public Observation startCall(String endpoint) {
		return IdempotencyObservation.CALL.observation(this.observations)
			.lowCardinalityKeyValue(IdempotencyObservation.CallKeys.ENDPOINT.asString(), endpoint)
			.lowCardinalityKeyValue(IdempotencyObservation.CallKeys.OUTCOME.asString(), IdempotencyObservation.UNKNOWN)
			.start();
	}

	/** @return the observer, for outcomes a door decides without the store; it never throws */
	public IdempotencyObserver observer() {
		return this.observer;
	}

	/**
	 * Claims a key for one call and decides what happens to the call.
	 * @param endpoint the idempotent method, as {@code Type#method}, for logs and metrics
	 * @param storageKey the store key
	 * @param fingerprint the fingerprint of the call
	 * @param lockTimeout how long the claim lives unless settled
	 * @return the decision
	 */
	public Decision claim(String endpoint, String storageKey, String fingerprint, Duration lockTimeout) {
		String owner = newOwnerToken();
		ClaimResult result;
		try {
			result = this.store.claim(storageKey, owner, fingerprint, lockTimeout);
		}
		catch (RuntimeException ex) {
			return failed(endpoint, storageKey, ex);
		}
		return decide(endpoint, storageKey, owner, fingerprint, lockTimeout, result);
	}

	/**
	 * {@link #claim} without waiting for the store: for a door that must not block its thread.
	 * The stage always completes with a decision, never with a failure; the decision's outcome
	 * goes to the call observation in scope when this is called, wherever the store answers.
	 * @param endpoint the idempotent method, as {@code Type#method}, for logs and metrics
	 * @param storageKey the store key
	 * @param fingerprint the fingerprint of the call
	 * @param lockTimeout how long the claim lives unless settled
	 * @return the decision, once the store answered
	 * @see #isStoreBlocking()
	 */
	public CompletionStage<Decision> claimAsync(String endpoint, String storageKey, String fingerprint,
			Duration lockTimeout) {
		String owner = newOwnerToken();
		Observation call = this.observations.getCurrentObservation();
		return call(() -> this.store.claimAsync(storageKey, owner, fingerprint, lockTimeout))
			.handle((result, failure) -> {
				try (Observation.Scope scope = (call != null) ? call.openScope() : Observation.Scope.NOOP) {
					return (failure != null) ? failed(endpoint, storageKey, failure)
							: decide(endpoint, storageKey, owner, fingerprint, lockTimeout, result);
				}
			});
	}

	/**
	 * Whether the store's asynchronous calls may block the calling thread: a door that must not
	 * block calls {@link #claimAsync} and settles claims on threads of its own then.
	 * @return the store's {@link IdempotencyStore#isBlocking()}
	 */
	public boolean isStoreBlocking() {
		return this.store.isBlocking();
	}

	private Decision decide(String endpoint, String storageKey, String owner, String fingerprint, Duration lockTimeout,
			ClaimResult result) {
		if (result instanceof ClaimResult.Completed completed) {
			if (!completed.fingerprint().equals(fingerprint)) {
				return keyReused(endpoint, storageKey);
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Replayed " + endpoint + " for key " + storageKey);
			}
			return new Decision.Replay(completed.response());
		}
		if (result instanceof ClaimResult.InFlight inFlight) {
			if (!inFlight.fingerprint().equals(fingerprint)) {
				return keyReused(endpoint, storageKey);
			}
			decided("Conflict (in flight)", Outcome.CONFLICT, endpoint, storageKey);
			return new Decision.InProgress(inFlight.expiresIn());
		}
		if (result instanceof ClaimResult.Executed executed) {
			if (!executed.fingerprint().equals(fingerprint)) {
				return keyReused(endpoint, storageKey);
			}
			logger.warn("Refused " + endpoint + " for key " + storageKey + ": a call with this key took effect but "
					+ "its response was never stored (its instance ended before storing it); it does not run again");
			this.observer.onOutcome(Outcome.RESPONSE_LOST, endpoint);
			return new Decision.ResponseLost();
		}
		return new Decision.Run(new Claim(endpoint, storageKey, owner, lockTimeout));
	}

	private Decision failed(String endpoint, String storageKey, Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof IdempotencyRecordException ex) {
			logger.error("Refused " + endpoint + " for key " + storageKey + ": " + ex.getMessage(), ex);
			this.observer.onOutcome(Outcome.STORE_ERROR, endpoint);
			return new Decision.Unreadable(ex);
		}
		if (cause instanceof RuntimeException ex) {
			return storeFailed(endpoint, storageKey, ex);
		}
		throw new CompletionException(cause);
	}

	private static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private static Throwable unwrap(Throwable failure) {
		return ObservedIdempotencyStore.unwrap(failure);
	}

	private Decision storeFailed(String endpoint, String storageKey, RuntimeException ex) {
		if (this.storeFailureMode == StoreFailureMode.FAIL_OPEN) {
			logger.warn("Idempotency store failed (" + ex.getMessage() + "); running " + endpoint
					+ " without idempotency for key " + storageKey + " (idempotency.store-failure=fail-open)");
			this.observer.onOutcome(Outcome.FAIL_OPEN, endpoint);
			return new Decision.RunWithoutIdempotency();
		}
		logger.warn("Idempotency store failed (" + ex.getMessage() + "); refused " + endpoint + " for key " + storageKey);
		this.observer.onOutcome(Outcome.STORE_ERROR, endpoint);
		return new Decision.StoreUnavailable(ex);
	}

	private Decision keyReused(String endpoint, String storageKey) {
		decided("Mismatch", Outcome.MISMATCH, endpoint, storageKey);
		return new Decision.KeyReused();
	}

	private void decided(String decision, Outcome outcome, String endpoint, String storageKey) {
		this.observer.onOutcome(outcome, endpoint);
		if (logger.isDebugEnabled()) {
			logger.debug(decision + " " + endpoint + " for key " + storageKey);
		}
	}

	private static String newOwnerToken() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		HexFormat hex = HexFormat.of();
		return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextLong());
	}

	/** What happens to a call once its key was claimed, or why it was not. */
	public sealed interface Decision {

		/**
		 * The key was free and now belongs to this call: run it, then settle the claim.
		 * @param claim the claim to settle once the call's result is known
		 */
		record Run(Claim claim) implements Decision {
		}

		/** The store failed and {@code store-failure} is {@code fail-open}: run without idempotency. */
		record RunWithoutIdempotency() implements Decision {
		}

		/**
		 * A call with this key and fingerprint finished: answer with its stored result, and
		 * count the call {@code replayed} once the result was delivered (or {@code store_error}
		 * should it not be readable).
		 * @param response the stored result
		 */
		record Replay(StoredResponse response) implements Decision {
		}

		/**
		 * A call with this key and fingerprint is still running.
		 * @param expiresIn how long its claim still lives unless it finishes, or {@code null} when
		 * the store cannot tell
		 */
		record InProgress(Duration expiresIn) implements Decision {
		}

		/** The key belongs to a call with another fingerprint. */
		record KeyReused() implements Decision {
		}

		/**
		 * A call with this key and fingerprint took effect but its result was never stored: the
		 * call does not run again, and its result cannot be given.
		 */
		record ResponseLost() implements Decision {
		}

		/**
		 * The store failed or did not answer in time and {@code store-failure} is
		 * {@code fail-closed}: the call does not run.
		 * @param failure what the store threw
		 */
		record StoreUnavailable(RuntimeException failure) implements Decision {
		}

		/**
		 * The record under the key cannot be read: the call does not run.
		 * @param failure what the store threw
		 */
		record Unreadable(IdempotencyRecordException failure) implements Decision {
		}

	}

	/**
	 * A key claimed for one call, settled exactly once: {@link #complete} stores the call's
	 * result, {@link #release} gives the key up so a retry runs again. Either counts the call as
	 * executed; a claim that expired and was taken over meanwhile is left alone, logged and
	 * counted as a lost claim.
	 */
	public final class Claim {

		private final String endpoint;

		private final String storageKey;

		private final String owner;

		private final Duration lockTimeout;

		private Claim(String endpoint, String storageKey, String owner, Duration lockTimeout) {
			this.endpoint = endpoint;
			this.storageKey = storageKey;
			this.owner = owner;
			this.lockTimeout = lockTimeout;
		}

		/** @return the store key */
		public String storageKey() {
			return this.storageKey;
		}

		/** @return the idempotent method, as {@code Type#method} */
		public String endpoint() {
			return this.endpoint;
		}

		/**
		 * Opens the scope in which the call runs, on the thread that runs it (see
		 * {@link IdempotencyStore#executing}); close it once the call returned or threw.
		 * @param ttl how long the record is kept once the call took effect
		 * @return the scope
		 */
		public IdempotencyStore.Execution running(Duration ttl) {
			return ClaimSequence.this.store.executing(this.storageKey, this.owner, ttl);
		}

		/**
		 * Stores the call's result for {@code ttl}. A store failure is logged, not thrown: the
		 * call has run and its result is delivered all the same.
		 * @param response the result to replay
		 * @param ttl how long it is kept
		 */
		public void complete(StoredResponse response, Duration ttl) {
			ClaimSequence.this.observer.onOutcome(Outcome.EXECUTED, this.endpoint);
			try {
				completed(ClaimSequence.this.store.complete(this.storageKey, this.owner, response, ttl));
			}
			catch (RuntimeException ex) {
				notStored("the store failed", ex);
			}
		}

		/**
		 * {@link #complete} without waiting for the store.
		 * @param response the result to replay
		 * @param ttl how long it is kept
		 * @return a stage that completes once the store answered; it never fails
		 */
		public CompletionStage<Void> completeAsync(StoredResponse response, Duration ttl) {
			ClaimSequence.this.observer.onOutcome(Outcome.EXECUTED, this.endpoint);
			return call(() -> ClaimSequence.this.store.completeAsync(this.storageKey, this.owner, response, ttl))
				.handle((stored, failure) -> {
					if (failure != null) {
						notStored("the store failed", unwrap(failure));
					}
					else {
						completed(stored);
					}
					return null;
				});
		}

		private void completed(boolean stored) {
			if (!stored) {
				lost("finished after its lock timeout (" + this.lockTimeout + ")", "its result was delivered but not stored");
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("Executed " + this.endpoint + " for key " + this.storageKey);
			}
		}

		/**
		 * Leaves the claim as it is when the call's result cannot be stored: the call has run,
		 * so the key stays claimed until its lock timeout passes rather than letting a retry run
		 * it again at once.
		 * @param reason why the result cannot be stored
		 * @param cause what failed
		 */
		public void keep(String reason, Throwable cause) {
			ClaimSequence.this.observer.onOutcome(Outcome.EXECUTED, this.endpoint);
			notStored(reason, cause);
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
		 * @param response the answer to store should the call have taken effect, or {@code null}
		 * @param ttl how long it is kept
		 */
		public void release(String reason, StoredResponse response, Duration ttl) {
			releasing(reason);
			try {
				if (ClaimSequence.this.store.release(this.storageKey, this.owner)) {
					return;
				}
				if (response != null && ClaimSequence.this.store.complete(this.storageKey, this.owner, response, ttl)) {
					if (logger.isDebugEnabled()) {
						logger.debug("Stored the answer of " + this.endpoint + " (" + reason + ") for key " + this.storageKey
								+ " instead of releasing it: its changes had committed");
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
		}

		/**
		 * Gives the key up when the call never started (its request was refused before the
		 * method ran: an unreadable or invalid body, an interceptor), so a corrected retry runs;
		 * the call counts as {@code not_run}. A store failure is logged, not thrown.
		 * @param reason why, for the log
		 */
		public void withdraw(String reason) {
			withdrawing(reason);
			try {
				releasedOrLost(reason, ClaimSequence.this.store.release(this.storageKey, this.owner));
			}
			catch (RuntimeException ex) {
				notReleased(reason, ex);
			}
		}

		/**
		 * {@link #withdraw} without waiting for the store.
		 * @param reason why, for the log
		 * @return a stage that completes once the store answered; it never fails
		 */
		public CompletionStage<Void> withdrawAsync(String reason) {
			withdrawing(reason);
			return givenBack(reason);
		}

		/**
		 * {@link #release(String)} without waiting for the store.
		 * @param reason why, for the log
		 * @return a stage that completes once the store answered; it never fails
		 */
		public CompletionStage<Void> releaseAsync(String reason) {
			releasing(reason);
			return givenBack(reason);
		}

		private CompletionStage<Void> givenBack(String reason) {
			return call(() -> ClaimSequence.this.store.releaseAsync(this.storageKey, this.owner))
				.handle((released, failure) -> {
					if (failure != null) {
						notReleased(reason, unwrap(failure));
					}
					else {
						releasedOrLost(reason, released);
					}
					return null;
				});
		}

		private void withdrawing(String reason) {
			ClaimSequence.this.observer.onOutcome(Outcome.NOT_RUN, this.endpoint);
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
			ClaimSequence.this.observer.onOutcome(Outcome.EXECUTED, this.endpoint);
			if (logger.isDebugEnabled()) {
				logger.debug("Executed " + this.endpoint + " (" + reason + "; key released) for key " + this.storageKey);
			}
		}

		private void notReleased(String reason, Throwable cause) {
			logger.warn("Could not release key " + this.storageKey + " of " + this.endpoint + " (" + reason
					+ "); it frees itself when its lock timeout passes", cause);
		}

		private void lost(String what, String consequence) {
			logger.warn("Lost claim: " + this.endpoint + " " + what + " for key " + this.storageKey + "; "
					+ (consequence.isEmpty() ? "" : consequence + ", and ") + "the newer record was left untouched");
			ClaimSequence.this.observer.onOutcome(Outcome.LOST_CLAIM, this.endpoint);
		}

	}

}
