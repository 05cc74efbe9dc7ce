package io.github.idempotency.jdbc;

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
