package io.github.idempotency.sample;

import java.util.List;

import io.github.idempotency.testsupport.TestDatabase;

/**
 * The sample app's contract, unchanged, on the JDBC store: started as the documentation
 * says, with {@code --idempotency.store=jdbc} and {@code --spring.datasource.url} of a
 * PostgreSQL database of this test's own.
 */
class SampleOnPostgresTests extends SampleApplicationTests {

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);

	@Override
	protected List<String> storeArguments() {
		return List.of("--idempotency.store=jdbc", "--spring.datasource.url=" + this.database.url(),
				"--spring.datasource.username=postgres", "--idempotency.jdbc.initialize-schema=always");
	}

	@Override
	protected void closeStore() {
		this.database.close();
	}

}
