package io.github.idempotency.core;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyObserver.StoreOperation;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;

/**
 * Reports the duration and result of every call to a store to an observer.
 */
final class ObservedIdempotencyStore implements IdempotencyStore {

	private final IdempotencyStore store;

	private final IdempotencyObserver observer;

	/**
	 * Decorates a store.
	 * @param store the store
	 * @param observer receives the timings; must not throw (see {@link SafeObserver})
	 */
	ObservedIdempotencyStore(IdempotencyStore store, IdempotencyObserver observer) {
		this.store = store;
		this.observer = observer;
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

	private <T> T timed(StoreOperation operation, Supplier<T> call) {
		long start = System.nanoTime();
		boolean failed = true;
		try {
			T result = call.get();
			failed = false;
			return result;
		}
		finally {
			this.observer.onStoreCall(operation, System.nanoTime() - start, failed);
		}
	}

}
