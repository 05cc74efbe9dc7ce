package io.github.idempotency.core;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyObserver.StoreOperation;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.core.IdempotencyObservation.StoreKeys;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Reports the duration and result of every call to a store to an observer, and makes each call
 * an observation ({@link IdempotencyObservation#STORE}), a child of the call it serves.
 */
final class ObservedIdempotencyStore implements IdempotencyStore {

	private final IdempotencyStore store;

	private final IdempotencyObserver observer;

	private final ObservationRegistry observations;

	/**
	 * Decorates a store.
	 * @param store the store
	 * @param observer receives the timings; must not throw (see {@link SafeObserver})
	 * @param observations where store calls are observed
	 */
	ObservedIdempotencyStore(IdempotencyStore store, IdempotencyObserver observer, ObservationRegistry observations) {
		this.store = store;
		this.observer = observer;
		this.observations = observations;
	}

	@Override
	public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
		return timed(StoreOperation.CLAIM, () -> this.store.claim(key, owner, fingerprint, lockTimeout));
	}

	@Override
	public boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
		return timed(StoreOperation.COMPLETE, () -> this.store.complete(key, owner, response, ttl));
	}

	@Override
	public boolean release(String key, String owner) {
		return timed(StoreOperation.RELEASE, () -> this.store.release(key, owner));
	}

	@Override
	public Execution executing(String key, String owner, Duration ttl) {
		return this.store.executing(key, owner, ttl);
	}

	private <T> T timed(StoreOperation operation, Supplier<T> call) {
		Observation observation = IdempotencyObservation.STORE.observation(this.observations)
			.lowCardinalityKeyValue(StoreKeys.OPERATION.asString(), operation.tag())
			.lowCardinalityKeyValue(StoreKeys.RESULT.asString(), IdempotencyObservation.UNKNOWN)
			.start();
		long start = System.nanoTime();
		boolean failed = true;
		try (Observation.Scope scope = observation.openScope()) {
			T result = call.get();
			failed = false;
			return result;
		}
		catch (RuntimeException ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			this.observer.onStoreCall(operation, System.nanoTime() - start, failed);
			observation.lowCardinalityKeyValue(StoreKeys.RESULT.asString(), failed ? "failure" : "success").stop();
		}
	}

}
