package io.github.idempotency.internal.jdbc;

import io.github.idempotency.jdbc.JdbcPlatform;
import io.github.idempotency.testsupport.TestDatabase;

/** The JDBC store on Postgres. */
class PostgresStoreTests extends JdbcStoreContract {

	@Override
	TestDatabase.Kind kind() {
		return TestDatabase.Kind.POSTGRESQL;
	}

	@Override
	JdbcPlatform platform() {
		return JdbcPlatform.POSTGRESQL;
	}

}
