package io.github.idempotency.internal.jdbc;

import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore;
import io.github.idempotency.internal.startup.IdempotencyStartup;
import io.github.idempotency.internal.store.StoreHealth;
import io.github.idempotency.internal.store.StoreConnection;
import io.github.idempotency.testsupport.SpringBootLine;
import io.github.idempotency.testsupport.StartupFailure;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the JDBC store is chosen, what it is built from, and how it backs off, on H2 in
 * memory.
 */
class JdbcStoreAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(IdempotencyAutoConfiguration.class, SpringBootLine.dataSourceAutoConfiguration()))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	@Test
	void chosenByThePropertyOnlyAndTheTableIsCreatedOnAnEmbeddedDatabase() {
		this.contextRunner.run((context) -> assertThat(context).getBean(IdempotencyStore.class)
			.isInstanceOf(InMemoryIdempotencyStore.class));
		this.contextRunner.withPropertyValues("idempotency.store=jdbc").run((context) -> {
			assertThat(context).hasNotFailed();
			JdbcIdempotencyStore store = context.getBean(JdbcIdempotencyStore.class);
			assertThat(store.target()).startsWith("H2 ").endsWith(", table idempotency_records");
			assertThat(store.claim("k", "owner", "fp", Duration.ofMinutes(1))).isInstanceOf(ClaimResult.Claimed.class);
			assertThat(context).hasSingleBean(JdbcRecordCleanup.class);
			assertThat(context.getBean(StoreConnection.class).health().status()).isEqualTo(StoreHealth.Status.UP);
			assertThat(ReflectionTestUtils.getField(context.getBean(IdempotencyStartup.class), "summary")).asString()
				.startsWith("Idempotency records go to H2 ")
				.contains("table idempotency_records (JDBC store)");
		});
	}

	@Test
	void tableNameAndSchemaInitializationAreBound() {
		this.contextRunner
			.withPropertyValues("idempotency.store=jdbc", "idempotency.jdbc.table-name=payments_keys",
					"idempotency.jdbc.initialize-schema=always", "idempotency.jdbc.cleanup-batch-size=7",
					"idempotency.jdbc.cleanup-interval=5s")
			.run((context) -> {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM payments_keys", Integer.class)).isZero();
				JdbcRecordCleanup cleanup = context.getBean(JdbcRecordCleanup.class);
				assertThat(ReflectionTestUtils.getField(cleanup, "batchSize")).isEqualTo(7);
				assertThat(ReflectionTestUtils.getField(cleanup, "interval")).isEqualTo(Duration.ofSeconds(5));
			});
	}

	@Test
	void withSchemaInitializationNeverTheMissingTableMakesTheStoreDown() {
		this.contextRunner.withPropertyValues("idempotency.store=jdbc", "idempotency.jdbc.initialize-schema=never")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				StoreHealth health = context.getBean(StoreConnection.class).health();
				assertThat(health.status()).isEqualTo(StoreHealth.Status.DOWN);
				assertThat(health.details().get("error")).asString().contains("does the table exist");
			});
	}

	@Test
	void theNamedPlatformNeedsNoConnectionAtStartup() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class,
					SpringBootLine.dataSourceAutoConfiguration()))
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
					"spring.datasource.hikari.connection-timeout=250", "idempotency.store=jdbc",
					"idempotency.jdbc.platform=postgresql", "idempotency.store-timeout=300ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(JdbcIdempotencyStore.class).target())
					.isEqualTo("PostgreSQL (idempotency.jdbc.platform), table idempotency_records");
				assertThat(context.getBean(StoreConnection.class).health().status()).isEqualTo(StoreHealth.Status.DOWN);
			});
	}

	@Test
	void theStoreIsReadyBeforeTheFirstRequest() {
		this.contextRunner.withPropertyValues("idempotency.store=jdbc").run((context) -> {
			java.util.concurrent.ThreadPoolExecutor threads = (java.util.concurrent.ThreadPoolExecutor) ReflectionTestUtils
				.getField(context.getBean(JdbcIdempotencyStore.class), "executor");
			assertThat(threads.getPoolSize()).isEqualTo(JdbcIdempotencyStore.THREADS);
		});
	}

	@Test
	void waitingForAnUnreachableDatabaseAtStartupFailsNamingIt() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class,
					SpringBootLine.dataSourceAutoConfiguration()))
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
					"spring.datasource.hikari.connection-timeout=250", "idempotency.store=jdbc",
					"idempotency.jdbc.platform=postgresql", "idempotency.startup.wait-for-store=1s")
			.run((context) -> assertThat(startupFailure(context)).contains(
					"PostgreSQL (idempotency.jdbc.platform), table idempotency_records (JDBC store) did not answer within 1000 ms")
				.contains("spring.datasource.*"));
	}

	@Test
	void anUnreachableDatabaseWithoutANamedPlatformFailsStartupSayingWhatToDo() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class,
					SpringBootLine.dataSourceAutoConfiguration()))
			.withPropertyValues("spring.datasource.url=jdbc:postgresql://127.0.0.1:1/none",
					"spring.datasource.hikari.connection-timeout=250", "idempotency.store=jdbc")
			.run((context) -> assertThat(startupFailure(context)).contains("could not reach the database")
				.contains("idempotency.jdbc.platform"));
	}

	@Test
	void aBadTableNameFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("idempotency.store=jdbc", "idempotency.jdbc.table-name=records; DROP")
			.run((context) -> assertThat(startupFailure(context)).contains("idempotency.jdbc.table-name"));
	}

	@Test
	void withoutADataSourceTheJdbcStoreFailsStartupSayingWhatItNeeds() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
			.withPropertyValues("idempotency.store=jdbc")
			.run((context) -> assertThat(startupFailure(context))
				.contains("No IdempotencyStore for idempotency.store=jdbc")
				.contains("DataSource"));
	}

	@Test
	void withoutSpringJdbcTheJdbcStoreFailsStartupSayingWhatItNeeds() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.withPropertyValues("idempotency.store=jdbc")
			.run((context) -> assertThat(startupFailure(context)).contains("spring-jdbc"));
	}

	@Test
	void theApplicationsOwnStoreWins() {
		this.contextRunner.withPropertyValues("idempotency.store=jdbc")
			.withBean("myStore", IdempotencyStore.class, InMemoryIdempotencyStore::new)
			.run((context) -> {
				assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(InMemoryIdempotencyStore.class);
				assertThat(context).doesNotHaveBean(JdbcRecordCleanup.class);
				assertThat(context).doesNotHaveBean(StoreConnection.class);
			});
	}

	private static String startupFailure(AssertableApplicationContext context) {
		return StartupFailure.of(context);
	}

}
