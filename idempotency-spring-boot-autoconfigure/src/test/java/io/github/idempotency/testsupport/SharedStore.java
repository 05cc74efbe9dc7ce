package io.github.idempotency.testsupport;

import java.util.ArrayList;
import java.util.List;

/**
 * A store that several application instances of a test share: a {@code redis-server} or a
 * database of the test's own, with the settings that point an application at it.
 */
public final class SharedStore implements AutoCloseable {

	/** Where the records live. */
	public enum Kind {

		/** A {@code redis-server} of the test's own, fail-closed. */
		REDIS,

		/** The JDBC store on a PostgreSQL database of the test's own. */
		POSTGRESQL,

		/** The JDBC store on a MariaDB database of the test's own. */
		MARIADB

	}

	private final AutoCloseable resource;

	private final List<String> settings;

	private SharedStore(AutoCloseable resource, List<String> settings) {
		this.resource = resource;
		this.settings = settings;
	}

	/**
	 * Starts the store.
	 * @param kind where the records live
	 * @param more settings every instance gets besides the store's
	 * @return the running store
	 */
	public static SharedStore start(Kind kind, String... more) {
		List<String> settings = new ArrayList<>(List.of(more));
		if (kind == Kind.REDIS) {
			RedisServerProcess redis = RedisServerProcess.start();
			settings.addAll(List.of(redis.storeSettings("fail-closed")));
			return new SharedStore(redis, settings);
		}
		TestDatabase database = TestDatabase
			.create((kind == Kind.POSTGRESQL) ? TestDatabase.Kind.POSTGRESQL : TestDatabase.Kind.MARIADB);
		settings.addAll(database.settings());
		settings.addAll(List.of("idempotency.store=jdbc", "idempotency.jdbc.initialize-schema=always"));
		return new SharedStore(database, settings);
	}

	/**
	 * @return the settings as {@code name=value}, for an application in this JVM
	 */
	public String[] properties() {
		return this.settings.toArray(String[]::new);
	}

	/**
	 * @return the settings as {@code --name=value}, for an application process
	 */
	public String[] arguments() {
		return this.settings.stream().map((setting) -> "--" + setting).toArray(String[]::new);
	}

	@Override
	public void close() throws Exception {
		this.resource.close();
	}

}
