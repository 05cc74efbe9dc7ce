package io.github.idempotency.internal.observation;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyObserver.StoreOperation;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.RecordInspection;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.observation.IdempotencyObservation.StoreKeys;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Reports the duration and result of every call to a store to an observer, and makes each
 * call an observation ({@link IdempotencyObservation#STORE}), a child of the call it
 * serves.
 */
public final class ObservedIdempotencyStore implements IdempotencyStore {

	private final IdempotencyStore store;

	private final IdempotencyObserver observer;

	private final ObservationRegistry observations;

	/**
	 * Decorates a store.
	 * @param store the store
	 * @param observer receives the timings; must not throw (see {@link SafeObserver})
	 * @param observations where store calls are observed
	 */
	public ObservedIdempotencyStore(IdempotencyStore store, IdempotencyObserver observer,
			ObservationRegistry observations) {
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
	public boolean renew(String key, String owner, Duration lockTimeout) {
		return timed(StoreOperation.RENEW, () -> this.store.renew(key, owner, lockTimeout));
	}

	@Override
	public CompletionStage<Boolean> renewAsync(String key, String owner, Duration lockTimeout) {
		return timedAsync(StoreOperation.RENEW, () -> this.store.renewAsync(key, owner, lockTimeout));
	}

	@Override
	public @Nullable RecordInspection inspect(String key) {
		return this.store.inspect(key);
	}

	@Override
	public boolean evict(String key) {
		return this.store.evict(key);
	}

	@Override
	public Execution executing(String key, String owner, Duration ttl) {
		return this.store.executing(key, owner, ttl);
	}

	@Override
	public boolean isBlocking() {
		return this.store.isBlocking();
	}

	@Override
	public CompletionStage<ClaimResult> claimAsync(String key, String owner, String fingerprint, Duration lockTimeout) {
		return timedAsync(StoreOperation.CLAIM, () -> this.store.claimAsync(key, owner, fingerprint, lockTimeout));
	}

	@Override
	public CompletionStage<Boolean> completeAsync(String key, String owner, StoredResponse response, Duration ttl) {
		return timedAsync(StoreOperation.COMPLETE, () -> this.store.completeAsync(key, owner, response, ttl));
	}

	@Override
	public CompletionStage<Boolean> releaseAsync(String key, String owner) {
		return timedAsync(StoreOperation.RELEASE, () -> this.store.releaseAsync(key, owner));
	}

	private <T> T timed(StoreOperation operation, Supplier<T> call) {
		Observation observation = start(operation);
		long start = System.nanoTime();
		Throwable failure = null;
		try (Observation.Scope scope = observation.openScope()) {
			return call.get();
		}
		catch (RuntimeException ex) {
			failure = ex;
			throw ex;
		}
		finally {
			stop(observation, operation, start, failure);
		}
	}

	private <T> CompletionStage<T> timedAsync(StoreOperation operation, Supplier<CompletionStage<T>> call) {
		Observation observation = start(operation);
		long start = System.nanoTime();
		CompletionStage<T> stage;
		try (Observation.Scope scope = observation.openScope()) {
			stage = call.get();
		}
		catch (RuntimeException ex) {
			stage = CompletableFuture.failedFuture(ex);
		}
		return stage.whenComplete((result, failure) -> stop(observation, operation, start, unwrap(failure)));
	}

	private Observation start(StoreOperation operation) {
		return IdempotencyObservation.STORE.observation(this.observations)
			.lowCardinalityKeyValue(StoreKeys.OPERATION.asString(), operation.tag())
			.lowCardinalityKeyValue(StoreKeys.RESULT.asString(), IdempotencyObservation.UNKNOWN)
			.start();
	}

	private void stop(Observation observation, StoreOperation operation, long start, @Nullable Throwable failure) {
		this.observer.onStoreCall(operation, System.nanoTime() - start, failure != null);
		if (failure != null) {
			observation.error(failure);
		}
		observation.lowCardinalityKeyValue(StoreKeys.RESULT.asString(), (failure != null) ? "failure" : "success")
			.stop();
	}

	/**
	 * The failure a stage completed with, without the wrapper dependent stages add.
	 * @param failure what a stage completed with, or {@code null}
	 * @return the failure itself, or {@code null}
	 */
	public static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
