package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.jdbc.JdbcIdempotencyStore;
import io.github.idempotency.internal.jdbc.JdbcStoreConnection;
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore;
import io.github.idempotency.internal.redis.RedisStoreConnector;
import io.github.idempotency.internal.startup.IdempotencyStartup;
import io.github.idempotency.internal.store.StoreConnection;

/**
 * Builds the start-up step and its INFO line: which store keeps the records, and the TTL and
 * lock timeout.
 */
final class StartupSummary {

	private StartupSummary() {
	}

	static IdempotencyStartup startup(IdempotencyStore store, RedisStoreConnector redis,
			IdempotencyProperties properties) {
		String where;
		StoreConnection connection = StoreConnection.NONE;
		if (redis != null) {
			where = redis.target();
			connection = redis;
		}
		else if (store instanceof InMemoryIdempotencyStore memory) {
			where = "the heap of this JVM (in-memory store, at most " + memory.maxEntries()
					+ " records; not shared between instances)";
		}
		else if (store instanceof JdbcIdempotencyStore jdbc) {
			where = jdbc.target() + " (JDBC store)";
			connection = new JdbcStoreConnection(jdbc);
		}
		else {
			where = (store != null) ? store.getClass().getName() : "no store";
		}
		String summary = "Idempotency records go to " + where + "; ttl " + format(properties.getTtl())
				+ ", lock timeout " + format(properties.getLockTimeout());
		return new IdempotencyStartup(summary, connection, properties.getStartup().getWaitForStore());
	}

	static String format(java.time.Duration duration) {
		long millis = duration.toMillis();
		long[] units = { 3_600_000, 60_000, 1_000 };
		String[] names = { "h", "m", "s" };
		for (int i = 0; i < units.length; i++) {
			if (millis != 0 && millis % units[i] == 0) {
				return (millis / units[i]) + names[i];
			}
		}
		return millis + "ms";
	}

}
