package io.github.idempotency.internal.memory;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.idempotency.internal.store.StoreConnection;
import io.github.idempotency.internal.store.StoreHealth;

/**
 * The in-memory store as start-up and the health component see it: nothing to connect,
 * always up, with its entries and capacity as health details.
 */
public final class InMemoryStoreConnection implements StoreConnection {

	private final InMemoryIdempotencyStore store;

	/**
	 * Creates the connection of a store.
	 * @param store the in-memory store
	 */
	public InMemoryStoreConnection(InMemoryIdempotencyStore store) {
		this.store = store;
	}

	@Override
	public String target() {
		return "the heap of this JVM (in-memory store, at most " + this.store.maxEntries()
				+ " records; not shared between instances)";
	}

	@Override
	public StoreHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("store", "in-memory");
		details.put("entries", this.store.size());
		details.put("capacity", this.store.maxEntries());
		return new StoreHealth(StoreHealth.Status.UP, details);
	}

}
