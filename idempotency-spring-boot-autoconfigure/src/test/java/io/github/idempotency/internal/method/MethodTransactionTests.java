package io.github.idempotency.internal.method;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.Idempotent;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore;
import io.github.idempotency.testsupport.ForwardingStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code @Idempotent(key = ...)} on a method that is also {@code @Transactional}, on a
 * real database transaction (H2): whichever order the annotations are written in, the
 * idempotency advice runs outside the transaction, so the value is stored only after the
 * transaction committed, and a rollback releases the key so the retry runs.
 */
class MethodTransactionTests {

	private static ConfigurableApplicationContext context;

	@BeforeAll
	static void start() {
		context = new SpringApplicationBuilder(LedgerApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID(),
					"spring.sql.init.mode=never")
			.run();
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "transactionalFirst", "idempotentFirst" })
	void theValueIsStoredOnlyAfterTheTransactionCommitted(String method) {
		Ledger ledger = context.getBean(Ledger.class);
		RecordingStore store = context.getBean(RecordingStore.class);
		String id = UUID.randomUUID().toString();
		store.watching = id;

		long first = book(ledger, method, id, false);

		assertThat(book(ledger, method, id, false)).isEqualTo(first).isEqualTo(1);
		assertThat(ledger.rows(id)).isEqualTo(1);
		assertThat(store.completions).filteredOn((c) -> c.id().equals(id)).singleElement().satisfies((completion) -> {
			assertThat(completion.inTransaction()).as("a transaction was active when the value was stored").isFalse();
			assertThat(completion.committedRows()).as("rows another connection saw when the value was stored")
				.isEqualTo(1);
		});
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "transactionalFirst", "idempotentFirst" })
	void aRollbackReleasesTheKeyAndTheRetryRuns(String method) {
		Ledger ledger = context.getBean(Ledger.class);
		String id = UUID.randomUUID().toString();

		assertThatIllegalStateException().isThrownBy(() -> book(ledger, method, id, true)).withMessage("rolled back");
		assertThat(ledger.rows(id)).isZero();

		assertThat(book(ledger, method, id, false)).isEqualTo(1);
		assertThat(book(ledger, method, id, false)).isEqualTo(1);
		assertThat(ledger.rows(id)).isEqualTo(1);
	}

	/** Calls through the proxy, as a caller from another bean does. */
	private static long book(Ledger ledger, String method, String id, boolean fail) {
		return method.equals("transactionalFirst") ? ledger.transactionalFirst(id, fail)
				: ledger.idempotentFirst(id, fail);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class LedgerApplication {

		@Bean
		RecordingStore recordingStore(JdbcTemplate jdbc) {
			return new RecordingStore(jdbc);
		}

		@Bean
		Ledger ledger(JdbcTemplate jdbc) {
			return new Ledger(jdbc);
		}

	}

	/**
	 * Books an entry per call in a transaction; written with the annotations in both
	 * orders.
	 */
	public static class Ledger {

		private final JdbcTemplate jdbc;

		Ledger(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
			jdbc.execute("create table ledger (id varchar(64))");
		}

		@Transactional
		@Idempotent(key = "#id")
		public long transactionalFirst(String id, boolean fail) {
			return insert(id, fail);
		}

		@Idempotent(key = "#id")
		@Transactional
		public long idempotentFirst(String id, boolean fail) {
			return insert(id, fail);
		}

		private long insert(String id, boolean fail) {
			assertThat(TransactionSynchronizationManager.isActualTransactionActive()).isTrue();
			this.jdbc.update("insert into ledger (id) values (?)", id);
			if (fail) {
				throw new IllegalStateException("rolled back");
			}
			return rows(id);
		}

		public long rows(String id) {
			return this.jdbc.queryForObject("select count(*) from ledger where id = ?", Long.class, id);
		}

	}

	/**
	 * The in-memory store, noting at each stored value whether a transaction was active
	 * and how many of the call's rows a new connection saw.
	 */
	public static class RecordingStore implements ForwardingStore {

		private final IdempotencyStore store = new InMemoryIdempotencyStore();

		private final JdbcTemplate jdbc;

		final List<Completion> completions = new CopyOnWriteArrayList<>();

		volatile String watching = "";

		RecordingStore(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Override
		public IdempotencyStore delegate() {
			return this.store;
		}

		@Override
		public boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
			String id = this.watching;
			this.completions.add(new Completion(id, TransactionSynchronizationManager.isActualTransactionActive(),
					this.jdbc.queryForObject("select count(*) from ledger where id = ?", Long.class, id)));
			return this.store.complete(key, owner, response, ttl);
		}

		record Completion(String id, boolean inTransaction, long committedRows) {
		}

	}

}
