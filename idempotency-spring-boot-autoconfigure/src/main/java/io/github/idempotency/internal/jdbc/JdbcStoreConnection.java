package io.github.idempotency.internal.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.idempotency.internal.store.StoreConnection;
import io.github.idempotency.internal.store.StoreHealth;

/**
 * The JDBC store as start-up and the health component see it: before the web server
 * accepts traffic, the store's threads are started and a connection of the pool opened
 * with one query on the table, so no request pays for them. When the database does not
 * answer, start-up goes on (or waits, per {@code idempotency.startup.wait-for-store});
 * nothing needs retrying in the background, as the pool opens connections again by itself
 * and calls fail within the store timeout until then.
 */
public final class JdbcStoreConnection implements StoreConnection {

	private final JdbcIdempotencyStore store;

	private volatile String lastFailure = "";

	/**
	 * Creates the connection of a store.
	 * @param store the JDBC store
	 */
	public JdbcStoreConnection(JdbcIdempotencyStore store) {
		this.store = store;
	}

	@Override
	public boolean connect() {
		try {
			this.store.warmUp();
			return true;
		}
		catch (RuntimeException ex) {
			this.lastFailure = String.valueOf(ex.getMessage());
			return false;
		}
	}

	@Override
	public String target() {
		return this.store.target() + " (JDBC store)";
	}

	@Override
	public StoreHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("store", "jdbc");
		details.put("database", this.store.target());
		try {
			this.store.probe();
			return new StoreHealth(StoreHealth.Status.UP, details);
		}
		catch (RuntimeException ex) {
			details.put("error", String.valueOf(ex.getMessage()));
			return new StoreHealth(StoreHealth.Status.DOWN, details);
		}
	}

	@Override
	public String lastFailure() {
		return this.lastFailure;
	}

}
