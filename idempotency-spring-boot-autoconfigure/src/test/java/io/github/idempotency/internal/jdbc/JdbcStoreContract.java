package io.github.idempotency.internal.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreContractTests;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.RecordInspection;
import io.github.idempotency.internal.record.RecordCodec;
import io.github.idempotency.jdbc.JdbcPlatform;
import io.github.idempotency.jdbc.JdbcStoreSql;
import io.github.idempotency.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The store contract, and what only the JDBC store promises, on a database of the test
 * class's own; a subclass says which server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcStoreContract extends IdempotencyStoreContractTests {

	static final String TABLE = "idempotency_records";

	private TestDatabase database;

	private JdbcIdempotencyStore store;

	abstract TestDatabase.Kind kind();

	abstract JdbcPlatform platform();

	@BeforeAll
	void createDatabase() {
		this.database = TestDatabase.create(kind());
		JdbcStoreSchema.create(dataSource(), platform(), TABLE);
		this.store = newStore(Duration.ofSeconds(2));
	}

	@AfterAll
	void dropDatabase() {
		this.store.close();
		this.database.close();
	}

	JdbcIdempotencyStore newStore(Duration storeTimeout) {
		return new JdbcIdempotencyStore(dataSource(), JdbcStoreSql.of(platform(), TABLE),
				new RecordCodec(RecordCodec.DEFAULT_COMPRESSION_THRESHOLD), storeTimeout, kind() + " test database");
	}

	DataSource dataSource() {
		return this.database.dataSource();
	}

	@Override
	protected IdempotencyStore store() {
		return this.store;
	}

	@Test
	void expiredRecordsAreDeletedInBatchesAndLiveOnesStay() {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		jdbc.update("DELETE FROM " + TABLE);
		List<String> expiring = new ArrayList<>();
		for (int i = 0; i < 23; i++) {
			String key = newKey();
			expiring.add(key);
			assertThat(claimed(this.store.claim(key, "owner-" + i, "fp", SHORT))).isTrue();
		}
		String live = newKey();
		this.store.claim(live, "owner-live", "fp", LONG);
		String expired = "SELECT COUNT(*) FROM " + TABLE + " WHERE expires_at <= " + platform().nowMillis();
		await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(expired, Integer.class) == 23);

		int deleted = new JdbcRecordCleanup(this.store, Duration.ofMinutes(1), 5).deleteExpired();

		assertThat(deleted).isEqualTo(23);
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE, Integer.class)).isEqualTo(1);
		assertThat(this.store.claim(live, "another", "fp", LONG)).isInstanceOf(ClaimResult.InFlight.class);
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void theBackgroundCleanUpLogsWhatEachRunDeletedAndHowLongItTook(CapturedOutput output) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource());
		jdbc.update("DELETE FROM " + TABLE);
		for (int i = 0; i < 3; i++) {
			this.store.claim(newKey(), "owner-" + i, "fp", SHORT);
		}
		String expired = "SELECT COUNT(*) FROM " + TABLE + " WHERE expires_at <= " + platform().nowMillis();
		await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(expired, Integer.class) == 3);
		LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
		String category = JdbcRecordCleanup.class.getName();
		JdbcRecordCleanup cleanup = new JdbcRecordCleanup(this.store, Duration.ofMillis(50), 1000);
		logging.setLogLevel(category, LogLevel.DEBUG);
		try {
			cleanup.start();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> output.getOut().contains("Deleted 3 expired idempotency records"));
		}
		finally {
			cleanup.stop();
			logging.setLogLevel(category, null);
		}

		assertThat(output.getOut()).containsPattern("Deleted 3 expired idempotency records from .+ in \\d+ ms");
		assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE, Integer.class)).isZero();
	}

	@Test
	void aCallThatTookEffectIsInspectedAsExecutedAndItsRenewalKeepsItsExpiry() {
		String key = newKey();
		this.store.claim(key, "owner", "fp", LONG);
		new TransactionTemplate(new DataSourceTransactionManager(dataSource())).executeWithoutResult((status) -> {
			try (IdempotencyStore.Execution running = this.store.executing(key, "owner", Duration.ofHours(1))) {
				new JdbcTemplate(dataSource()).queryForObject("SELECT 1", Integer.class);
			}
		});

		RecordInspection inspection = this.store.inspect(key);
		assertThat(this.store.renew(key, "owner", Duration.ofSeconds(1))).as("its lock is renewed").isTrue();
		RecordInspection renewed = this.store.inspect(key);

		assertThat(inspection).isNotNull();
		assertThat(inspection.record()).isInstanceOf(ClaimResult.InFlight.class);
		assertThat(renewed).isNotNull();
		assertThat(new JdbcTemplate(dataSource()).queryForObject(
				"SELECT expires_at - " + platform().nowMillis() + " FROM " + TABLE + " WHERE storage_key = ?",
				Long.class, key))
			.as("a record that took effect keeps its time to live")
			.isGreaterThan(Duration.ofMinutes(50).toMillis());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.store.inspect(key).record() instanceof ClaimResult.Executed);
	}

	@Test
	void expiryIsOnTheDatabaseClock() {
		String key = newKey();
		this.store.claim(key, "owner", "fp", Duration.ofMinutes(2));
		ClaimResult result = this.store.claim(key, "other", "fp", LONG);
		assertThat(result).isInstanceOfSatisfying(ClaimResult.InFlight.class,
				(inFlight) -> assertThat(inFlight.expiresIn()).isBetween(Duration.ofSeconds(100),
						Duration.ofMinutes(2)));
		long expiresAt = new JdbcTemplate(dataSource())
			.queryForObject("SELECT expires_at FROM " + TABLE + " WHERE storage_key = ?", Long.class, key);
		long databaseNow = new JdbcTemplate(dataSource()).queryForObject(
				"SELECT " + platform().nowMillis() + " FROM " + TABLE + " WHERE storage_key = ?", Long.class, key);
		assertThat(expiresAt - databaseNow).isBetween(100_000L, 120_000L);
	}

	@Test
	void theSchemaScriptRunsAgainWithoutChangingAnything() {
		String key = newKey();
		this.store.claim(key, "owner", "fp", LONG);
		JdbcStoreSchema.create(dataSource(), platform(), TABLE);
		assertThat(this.store.claim(key, "other", "fp", LONG)).isInstanceOf(ClaimResult.InFlight.class);
	}

	@Test
	void aMissingTableIsAStoreFailureThatSaysWhatToDo() {
		JdbcIdempotencyStore missing = new JdbcIdempotencyStore(dataSource(),
				JdbcStoreSql.of(platform(), "no_such_table"),
				new RecordCodec(RecordCodec.DEFAULT_COMPRESSION_THRESHOLD), Duration.ofSeconds(2), "test");
		try {
			assertThatExceptionOfType(IdempotencyStoreException.class)
				.isThrownBy(() -> missing.claim(newKey(), "owner", "fp", LONG))
				.withMessageContaining("does the table exist")
				.withMessageContaining("idempotency.jdbc.initialize-schema");
			assertThatExceptionOfType(IdempotencyStoreException.class).isThrownBy(missing::probe);
		}
		finally {
			missing.close();
		}
	}

	@Test
	void aClaimStuckBehindALockFailsWithinTheStoreTimeoutAndIsReleasedWhenItLandsLate() throws Exception {
		String key = newKey();
		JdbcIdempotencyStore impatient = newStore(Duration.ofMillis(300));
		try (Connection blocker = dataSource().getConnection()) {
			blocker.setAutoCommit(false);
			try (PreparedStatement insert = blocker.prepareStatement(JdbcStoreSql.of(platform(), TABLE).insert())) {
				insert.setString(1, key);
				insert.setString(2, "blocker");
				insert.setInt(3, 4);
				insert.setLong(4, LONG.toMillis());
				insert.setLong(5, LONG.toMillis());
				insert.setBytes(6, new RecordCodec(512).inFlight("fp", "blocker"));
				insert.executeUpdate();
			}
			long started = System.nanoTime();
			assertThatExceptionOfType(IdempotencyStoreException.class)
				.isThrownBy(() -> impatient.claim(key, "late", "fp", LONG))
				.withMessageContaining("idempotency.store-timeout");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
			blocker.rollback();
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.store.claim(key, "next-" + UUID.randomUUID(), "fp",
					SHORT) instanceof ClaimResult.Claimed);
		impatient.close();
	}

}
