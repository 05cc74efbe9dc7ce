package io.github.idempotency.internal.jdbc;

import io.github.idempotency.jdbc.JdbcPlatform;
import io.github.idempotency.testsupport.TestDatabase;

/** The JDBC store on H2. */
class H2StoreTests extends JdbcStoreContract {

	@Override
	TestDatabase.Kind kind() {
		return TestDatabase.Kind.H2;
	}

	@Override
	JdbcPlatform platform() {
		return JdbcPlatform.H2;
	}

}
