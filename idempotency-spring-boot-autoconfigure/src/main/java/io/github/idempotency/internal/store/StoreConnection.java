package io.github.idempotency.internal.store;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.idempotency.IdempotencyStore;
import org.jspecify.annotations.Nullable;

/**
 * A store's link to its backend, the one interface through which every store tells
 * start-up how to connect it and the {@code idempotency} health component how it is: one
 * attempt to connect and prepare the store, retries in the background until one succeeds,
 * and its health now. A store the application defines itself, which has none, is
 * {@linkplain #unmanaged(IdempotencyStore) unmanaged}.
 */
public interface StoreConnection {

	/**
	 * Makes one attempt to connect and prepare the store, or joins the attempt under way.
	 * The default suits a store with nothing to connect.
	 * @return whether the store is connected
	 */
	default boolean connect() {
		return true;
	}

	/** Keeps trying to connect on a background thread until an attempt succeeds. */
	default void connectInBackground() {
	}

	/**
	 * @return where the store keeps its records, as the start-up line names it, e.g.
	 * {@code Redis (standalone, 127.0.0.1:6379)}
	 */
	String target();

	/**
	 * @return why the last attempt failed, empty when none failed
	 */
	default String lastFailure() {
		return "";
	}

	/**
	 * @return the store's health now, for the {@code idempotency} health component
	 */
	StoreHealth health();

	/** Stops trying to connect. */
	default void close() {
	}

	/**
	 * The connection of a store that manages its own: always connected, its health
	 * unknown.
	 * @param store the store, or {@code null} when there is none
	 * @return the connection
	 */
	static StoreConnection unmanaged(@Nullable IdempotencyStore store) {
		String name = (store != null) ? store.getClass().getName() : "no store";
		return new StoreConnection() {

			@Override
			public String target() {
				return name;
			}

			@Override
			public StoreHealth health() {
				Map<String, Object> details = new LinkedHashMap<>();
				details.put("store", name);
				return new StoreHealth(StoreHealth.Status.UNKNOWN, details);
			}

		};
	}

}
