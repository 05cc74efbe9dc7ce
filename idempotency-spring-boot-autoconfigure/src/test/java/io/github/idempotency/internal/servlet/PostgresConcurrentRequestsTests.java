package io.github.idempotency.internal.servlet;

import java.util.ArrayList;
import java.util.List;

import io.github.idempotency.testsupport.TestDatabase;

/**
 * {@link ConcurrentRequestsContract} on the JDBC store: two instances sharing a
 * PostgreSQL database of the test's own.
 */
class PostgresConcurrentRequestsTests extends ConcurrentRequestsContract {

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);

	@Override
	protected String store() {
		return "jdbc";
	}

	@Override
	protected List<String> storeSettings() {
		List<String> settings = new ArrayList<>(this.database.settings());
		settings.add("idempotency.jdbc.initialize-schema=always");
		return settings;
	}

	@Override
	protected void closeStore() {
		this.database.close();
	}

}
