package io.github.idempotency.internal.jdbc;

import io.github.idempotency.jdbc.JdbcPlatform;
import io.github.idempotency.testsupport.TestDatabase;

/** The JDBC store on MariaDB. */
class MariaDbStoreTests extends JdbcStoreContract {

	@Override
	TestDatabase.Kind kind() {
		return TestDatabase.Kind.MARIADB;
	}

	@Override
	JdbcPlatform platform() {
		return JdbcPlatform.MYSQL;
	}

}
