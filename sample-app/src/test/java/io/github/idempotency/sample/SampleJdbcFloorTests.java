package io.github.idempotency.sample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

import io.github.idempotency.testsupport.TestDatabase;

/**
 * The Spring MVC floor on PostgreSQL ({@code sample.floor.store=jdbc},
 * {@link JdbcFloorController}) keeps the floor's contract, in a database of this test's
 * own.
 */
class SampleJdbcFloorTests extends FloorContractTests {

	private final TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);

	@Override
	protected List<String> floorArguments() {
		return List.of("--sample.floor.store=jdbc", "--spring.datasource.url=" + this.database.url(),
				"--spring.datasource.username=postgres");
	}

	@Override
	protected String storedRecord(String storageKey) throws Exception {
		try (Connection connection = this.database.dataSource().getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT record FROM floor_records WHERE storage_key = ?")) {
			statement.setString(1, storageKey);
			try (ResultSet rows = statement.executeQuery()) {
				return rows.next() ? rows.getString(1) : null;
			}
		}
	}

	@Override
	protected void closeStore() {
		this.database.close();
	}

}
