package io.github.idempotency.internal.claim;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyObserver.Outcome;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoreFailureMode;
import io.github.idempotency.internal.observation.IdempotencyObservation;
import io.github.idempotency.internal.observation.ObservedIdempotencyStore;
import io.github.idempotency.internal.observation.OutcomeObserver;
import io.github.idempotency.internal.observation.SafeObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Claim, then decide, then settle: the sequence every door runs around an idempotent
 * call, whatever carries the key (an HTTP header, a method argument). {@link #claim}
 * makes the one store call before the call and turns its result into a {@link Decision};
 * a {@link Decision.Run} carries the {@link Claim} that is settled once the result is
 * known — completed with what is replayed later, or released so a retry runs again.
 *
 * <p>
 * Every store call is timed and every outcome counted on the observer, whose failures
 * never change a decision; one DEBUG line names each decision with the endpoint and the
 * hashed store key, never the client's key.
 */
public final class ClaimSequence implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ClaimSequence.class);

	private final IdempotencyStore store;

	private final IdempotencyObserver observer;

	private final StoreFailureMode storeFailureMode;

	private final ObservationRegistry observations;

	private final ClaimRenewer renewer;

	private final InProgressWaits waits;

	private final ResponseLostWarnings responseLostWarnings = new ResponseLostWarnings();

	/**
	 * Creates the sequence, without observations and without renewals.
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
	 * @param observations where calls and store calls are observed
	 * ({@link IdempotencyObservation}); {@link ObservationRegistry#NOOP} observes nothing
	 */
	public ClaimSequence(IdempotencyStore store, IdempotencyObserver observer, StoreFailureMode storeFailureMode,
			ObservationRegistry observations) {
		this(store, observer, storeFailureMode, observations, Duration.ZERO);
	}

	/**
	 * Creates the sequence.
	 * @param store where claims live
	 * @param observer receives outcomes and store timings; whatever it throws is logged
	 * @param storeFailureMode what to do when the store fails
	 * @param observations where calls and store calls are observed
	 * ({@link IdempotencyObservation}); {@link ObservationRegistry#NOOP} observes nothing
	 * @param renewalLimit how long the claim of a running call is renewed at most, every
	 * third of its lock timeout; zero renews nothing
	 */
	public ClaimSequence(IdempotencyStore store, IdempotencyObserver observer, StoreFailureMode storeFailureMode,
			ObservationRegistry observations, Duration renewalLimit) {
		Assert.notNull(store, "store must not be null");
		Assert.notNull(observer, "observer must not be null");
		Assert.notNull(storeFailureMode, "storeFailureMode must not be null");
		Assert.notNull(observations, "observations must not be null");
		this.observations = observations;
		this.observer = new OutcomeObserver(SafeObserver.of(observer), observations);
		this.store = new ObservedIdempotencyStore(store, this.observer, observations);
		this.storeFailureMode = storeFailureMode;
		Assert.isTrue(renewalLimit != null && !renewalLimit.isNegative(), "renewalLimit must not be negative");
		this.renewer = new ClaimRenewer(this.store, this.observer, renewalLimit);
		this.waits = new InProgressWaits(this.store);
	}

	/**
	 * Starts the observation of one request or call
	 * ({@link IdempotencyObservation#CALL}); the door opens its scope around the store
	 * calls it makes and stops it once the call is settled. Outcomes reported while its
	 * scope is open become its {@code outcome}.
	 * @param endpoint the idempotent method, as {@code Type#method}
	 * @return the started observation, a no-op one without an observation registry
	 */
	public Observation startCall(String endpoint) {
		return IdempotencyObservation.CALL.observation(this.observations)
			.lowCardinalityKeyValue(IdempotencyObservation.CallKeys.ENDPOINT.asString(), endpoint)
			.lowCardinalityKeyValue(IdempotencyObservation.CallKeys.OUTCOME.asString(), IdempotencyObservation.UNKNOWN)
			.start();
	}

	/**
	 * @return the observer, for outcomes a door decides without the store; it never
	 * throws
	 */
	public IdempotencyObserver observer() {
		return this.observer;
	}

	/**
	 * Claims a key for one call and decides what happens to the call; a duplicate of a
	 * call in flight is refused at once.
	 * @param endpoint the idempotent method, as {@code Type#method}, for logs and metrics
	 * @param storageKey the store key
	 * @param fingerprint the fingerprint of the call
	 * @param lockTimeout how long the claim lives unless settled
	 * @return the decision
	 */
	public Decision claim(String endpoint, String storageKey, String fingerprint, Duration lockTimeout) {
		return claim(endpoint, storageKey, fingerprint, lockTimeout, Duration.ZERO);
	}

	/**
	 * Claims a key for one call and decides what happens to the call.
	 * @param endpoint the idempotent method, as {@code Type#method}, for logs and metrics
	 * @param storageKey the store key
	 * @param fingerprint the fingerprint of the call
	 * @param lockTimeout how long the claim lives unless settled
	 * @param wait how long a duplicate of a call in flight waits for it
	 * ({@link Decision.Wait}); zero refuses it at once
	 * @return the decision
	 */
	public Decision claim(String endpoint, String storageKey, String fingerprint, Duration lockTimeout, Duration wait) {
		String owner = newOwnerToken();
		ClaimResult result;
		try {
			result = this.store.claim(storageKey, owner, fingerprint, lockTimeout);
		}
		catch (RuntimeException ex) {
			return failed(endpoint, storageKey, ex);
		}
		return decide(new Attempt(endpoint, storageKey, owner, fingerprint, lockTimeout), result, wait);
	}

	/**
	 * {@link #claim} without waiting for the store: for a door that must not block its
	 * thread. The stage always completes with a decision, never with a failure; the
	 * decision's outcome goes to the call observation in scope when this is called,
	 * wherever the store answers.
	 * @param endpoint the idempotent method, as {@code Type#method}, for logs and metrics
	 * @param storageKey the store key
	 * @param fingerprint the fingerprint of the call
	 * @param lockTimeout how long the claim lives unless settled
	 * @param wait how long a duplicate of a call in flight waits for it
	 * ({@link Decision.Wait}); zero refuses it at once
	 * @return the decision, once the store answered
	 * @see #isStoreBlocking()
	 */
	public CompletionStage<Decision> claimAsync(String endpoint, String storageKey, String fingerprint,
			Duration lockTimeout, Duration wait) {
		Attempt attempt = new Attempt(endpoint, storageKey, newOwnerToken(), fingerprint, lockTimeout);
		Observation call = this.observations.getCurrentObservation();
		return Stages.call(() -> this.store.claimAsync(storageKey, attempt.owner(), fingerprint, lockTimeout))
			.handle((result, failure) -> {
				try (Observation.Scope scope = open(call)) {
					return (failure != null) ? failed(endpoint, storageKey, failure) : decide(attempt, result, wait);
				}
			});
	}

	/**
	 * Whether the store's asynchronous calls may block the calling thread: a door that
	 * must not block calls {@link #claimAsync} and settles claims on threads of its own
	 * then.
	 * @return the store's {@link IdempotencyStore#isBlocking()}
	 */
	public boolean isStoreBlocking() {
		return this.store.isBlocking();
	}

	private Decision decide(Attempt attempt, ClaimResult result, Duration wait) {
		String endpoint = attempt.endpoint();
		String storageKey = attempt.storageKey();
		String fingerprint = attempt.fingerprint();
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
			if (!wait.isZero() && !wait.isNegative()) {
				return waitFor(attempt, inFlight, wait);
			}
			decided("Conflict (in flight)", Outcome.CONFLICT, endpoint, storageKey);
			return new Decision.Refused(Decision.Reason.IN_PROGRESS, inFlight.expiresIn(), null);
		}
		if (result instanceof ClaimResult.Executed executed) {
			if (!executed.fingerprint().equals(fingerprint)) {
				return keyReused(endpoint, storageKey);
			}
			this.responseLostWarnings.refused(endpoint, storageKey);
			this.observer.onOutcome(Outcome.RESPONSE_LOST, endpoint);
			return Decision.Refused.because(Decision.Reason.RESPONSE_LOST);
		}
		Claim claim = new Claim(this.store, this.observer, endpoint, storageKey, attempt.owner(), attempt.lockTimeout(),
				this.waits::settled);
		this.renewer.start(claim);
		return new Decision.Run(claim);
	}

	/**
	 * A duplicate of a call in flight waits for it; its outcome is decided, counted and
	 * observed once the wait ends, in the call observation in scope now.
	 */
	private Decision.Wait waitFor(Attempt attempt, ClaimResult.InFlight first, Duration wait) {
		if (logger.isDebugEnabled()) {
			logger.debug("Waiting up to " + wait + " for the call in flight: " + attempt.endpoint() + " for key "
					+ attempt.storageKey());
		}
		long started = System.nanoTime();
		Observation call = this.observations.getCurrentObservation();
		this.observer.onWaitStarted(attempt.endpoint());
		InProgressWaits.Waiter waiter = this.waits.start(attempt.storageKey(), attempt.owner(), attempt.fingerprint(),
				attempt.lockTimeout(), wait, first);
		CompletionStage<Decision> decision = waiter.result().handle((result, failure) -> {
			try (Observation.Scope scope = open(call)) {
				Decision decided = (failure != null) ? failedWhileWaiting(attempt, failure)
						: decide(attempt, result, Duration.ZERO);
				this.observer.onWait(WaitEnds.of(decided), attempt.endpoint(), System.nanoTime() - started);
				return decided;
			}
		});
		return new Decision.Wait(decision, waiter::stop);
	}

	/**
	 * The store failed while a duplicate waited: it is refused, whatever
	 * {@code store-failure} says, since a call with its key is known to be in flight.
	 */
	private Decision failedWhileWaiting(Attempt attempt, Throwable failure) {
		Throwable cause = Stages.unwrap(failure);
		if (cause instanceof IdempotencyRecordException || !(cause instanceof RuntimeException ex)) {
			return failed(attempt.endpoint(), attempt.storageKey(), cause);
		}
		logger.warn("Idempotency store failed (" + ex.getMessage() + ") while a duplicate waited for the call in "
				+ "flight; refused " + attempt.endpoint() + " for key " + attempt.storageKey());
		this.observer.onOutcome(Outcome.STORE_ERROR, attempt.endpoint());
		return new Decision.Refused(Decision.Reason.STORE_UNAVAILABLE, null, ex);
	}

	private static Observation.Scope open(@Nullable Observation call) {
		return (call != null) ? call.openScope() : Observation.Scope.NOOP;
	}

	private Decision failed(String endpoint, String storageKey, Throwable failure) {
		Throwable cause = Stages.unwrap(failure);
		if (cause instanceof IdempotencyRecordException ex) {
			logger.error("Refused " + endpoint + " for key " + storageKey + ": " + ex.getMessage(), ex);
			this.observer.onOutcome(Outcome.STORE_ERROR, endpoint);
			return new Decision.Refused(Decision.Reason.RECORD_UNREADABLE, null, ex);
		}
		if (cause instanceof RuntimeException ex) {
			return storeFailed(endpoint, storageKey, ex);
		}
		throw new CompletionException(cause);
	}

	private Decision storeFailed(String endpoint, String storageKey, RuntimeException ex) {
		if (this.storeFailureMode == StoreFailureMode.FAIL_OPEN) {
			logger.warn("Idempotency store failed (" + ex.getMessage() + "); running " + endpoint
					+ " without idempotency for key " + storageKey + " (idempotency.store-failure=fail-open)");
			this.observer.onOutcome(Outcome.FAIL_OPEN, endpoint);
			return new Decision.RunWithoutIdempotency();
		}
		logger
			.warn("Idempotency store failed (" + ex.getMessage() + "); refused " + endpoint + " for key " + storageKey);
		this.observer.onOutcome(Outcome.STORE_ERROR, endpoint);
		return new Decision.Refused(Decision.Reason.STORE_UNAVAILABLE, null, ex);
	}

	private Decision keyReused(String endpoint, String storageKey) {
		decided("Mismatch", Outcome.MISMATCH, endpoint, storageKey);
		return Decision.Refused.because(Decision.Reason.KEY_REUSED);
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

	/**
	 * Stops renewing claims and ends every wait; called when the application context
	 * closes.
	 */
	@Override
	public void close() {
		this.renewer.close();
		this.waits.close();
	}

	/**
	 * One call's claim: the same owner token asks again while a duplicate waits.
	 *
	 * @param endpoint the idempotent method
	 * @param storageKey the store key
	 * @param owner the owner token
	 * @param fingerprint the call's fingerprint
	 * @param lockTimeout how long a claim lives unless settled
	 */
	private record Attempt(String endpoint, String storageKey, String owner, String fingerprint, Duration lockTimeout) {
	}

}
