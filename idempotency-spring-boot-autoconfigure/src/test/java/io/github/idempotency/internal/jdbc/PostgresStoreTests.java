package io.github.idempotency.internal.jdbc;

import java.util.List;

import io.github.idempotency.jdbc.JdbcPlatform;
import io.github.idempotency.jdbc.JdbcStoreSql;
import io.github.idempotency.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

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

	/**
	 * PgJDBC prepares a statement on the server once it ran a few times, and PostgreSQL
	 * may then plan it once for any batch size and any time: that generic plan must still
	 * reach the expired rows through the expiry index and the batch by its row addresses,
	 * never by reading the whole table (a million live rows took 750 ms a batch that way,
	 * longer than {@code store-timeout}, so the clean-up never finished).
	 */
	@Test
	void theCleanUpFindsExpiredRowsThroughTheExpiryIndexInAGenericPlan() {
		String statement = JdbcStoreSql.of(JdbcPlatform.POSTGRESQL, TABLE).deleteExpired().replace("?", "$1");
		SingleConnectionDataSource connection = new SingleConnectionDataSource(
				DataSourceUtils.getConnection(dataSource()), true);
		JdbcTemplate jdbc = new JdbcTemplate(connection);
		List<String> plan;
		try {
			jdbc.update("INSERT INTO " + TABLE + " SELECT 'plan-' || g, 'C', 'owner', 4, NULL, "
					+ "9000000000000 + g, 'record' FROM generate_series(1, 100000) g");
			jdbc.execute("ANALYZE " + TABLE);
			jdbc.execute("SET plan_cache_mode = force_generic_plan");
			jdbc.execute("PREPARE clean_up(int) AS " + statement);
			plan = jdbc.queryForList("EXPLAIN EXECUTE clean_up(1000)", String.class);
		}
		finally {
			jdbc.execute("DEALLOCATE ALL");
			jdbc.execute("RESET plan_cache_mode");
			jdbc.update("DELETE FROM " + TABLE + " WHERE storage_key LIKE 'plan-%'");
			connection.destroy();
		}

		assertThat(String.join("\n", plan)).as("the plan")
			.doesNotContain("Seq Scan")
			.containsPattern("Index Scan using \\w+_expires_at")
			.containsPattern("Index Cond: \\(expires_at <= ")
			.contains("Tid Scan");
	}

}
