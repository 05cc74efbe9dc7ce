package io.github.idempotency.internal.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore;
import io.github.idempotency.internal.redis.RedisStoreConnector;
import io.github.idempotency.internal.store.StoreHealth;
import io.github.idempotency.internal.store.StoreHealthCheck;

/**
 * Checks the idempotency store for the {@code idempotency} health component: Redis answers
 * PING on every node in use within the store timeout; the in-memory store reports its entries
 * and capacity; a store with a {@link StoreHealthCheck} (JDBC) checks itself. The Actuator adapters for each Spring Boot line turn the result into their
 * {@code Health}.
 */
public final class IdempotencyHealth {

	private final IdempotencyStore store;

	private final RedisStoreConnector redis;

	private final StoreHealthCheck storeCheck;

	/**
	 * Creates the check.
	 * @param store the store requests use
	 * @param redis the Redis connector, or {@code null} when the store is not Redis
	 * @param storeCheck the store's own check, or {@code null}
	 */
	public IdempotencyHealth(IdempotencyStore store, RedisStoreConnector redis, StoreHealthCheck storeCheck) {
		this.store = store;
		this.redis = redis;
		this.storeCheck = storeCheck;
	}

	/** @return the store's health now */
	public StoreHealth check() {
		if (this.storeCheck != null) {
			return this.storeCheck.check();
		}
		Map<String, Object> details = new LinkedHashMap<>();
		if (this.redis != null) {
			details.put("store", "redis");
			details.put("mode", this.redis.mode());
			try {
				details.put("nodes", this.redis.ping());
				return new StoreHealth(StoreHealth.Status.UP, details);
			}
			catch (RuntimeException ex) {
				details.put("nodes", this.redis.target());
				details.put("error", String.valueOf(ex.getMessage()));
				return new StoreHealth(StoreHealth.Status.DOWN, details);
			}
		}
		if (this.store instanceof InMemoryIdempotencyStore memory) {
			details.put("store", "in-memory");
			details.put("entries", memory.size());
			details.put("capacity", memory.maxEntries());
			return new StoreHealth(StoreHealth.Status.UP, details);
		}
		details.put("store", this.store.getClass().getName());
		return new StoreHealth(StoreHealth.Status.UNKNOWN, details);
	}

}
