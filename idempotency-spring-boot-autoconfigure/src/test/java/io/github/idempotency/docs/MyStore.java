package io.github.idempotency.docs;

import java.time.Duration;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.RecordInspection;
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore;
import io.github.idempotency.testsupport.ForwardingStore;
import org.jspecify.annotations.Nullable;

/**
 * The store of an application's own that "Writing your own store" tests: here one that
 * forwards to the in-memory store.
 */
final class MyStore implements ForwardingStore {

	private final IdempotencyStore delegate = new InMemoryIdempotencyStore();

	@Override
	public IdempotencyStore delegate() {
		return this.delegate;
	}

	@Override
	public boolean renew(String key, String owner, Duration lockTimeout) {
		return this.delegate.renew(key, owner, lockTimeout);
	}

	@Override
	public @Nullable RecordInspection inspect(String key) {
		return this.delegate.inspect(key);
	}

	@Override
	public boolean evict(String key) {
		return this.delegate.evict(key);
	}

}
