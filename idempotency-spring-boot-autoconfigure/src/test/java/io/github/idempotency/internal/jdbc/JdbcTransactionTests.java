package io.github.idempotency.internal.jdbc;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.idempotency.testapp.Gate;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.TestHttp;
import io.github.idempotency.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The business effect and the idempotency record commit together, on PostgreSQL, through
 * the front door: a payment service whose handlers write a payment row in a transaction
 * ({@code @Transactional} handler, {@code @Transactional} service,
 * {@code TransactionTemplate}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcTransactionTests {

	private TestDatabase database;

	private RunningApp app;

	private JdbcTemplate jdbc;

	@BeforeAll
	void start() {
		this.database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
		this.jdbc = new JdbcTemplate(this.database.dataSource());
		this.jdbc.execute(PaymentsApplication.PAYMENTS_TABLE);
		List<String> properties = new ArrayList<>(this.database.settings());
		// renewals off: the tests let claims expire while their calls run, as a store
		// outage
		// longer than the lock timeout does
		properties.addAll(List.of("idempotency.store=jdbc", "idempotency.jdbc.initialize-schema=always",
				"idempotency.renewal-limit=0s"));
		this.app = RunningApp.start(PaymentsApplication.class, properties.toArray(String[]::new));
	}

	@AfterAll
	void stop() {
		this.app.close();
		this.database.close();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/payments", "/payments/via-service", "/payments/via-template" })
	void theRecordHasTakenEffectWhenThePaymentCommitsAndIsCompletedAfterwards(String path) {
		String ref = UUID.randomUUID().toString();

		HttpResponse<byte[]> first = http().post(path, ref, payment(ref));
		HttpResponse<byte[]> retry = http().post(path, ref, payment(ref));

		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(payments(ref)).isOne();
		assertThat(this.app.bean(PaymentsApplication.Observed.class).statesAtCommit).contains(ref + ":1/0");
	}

	@Test
	void aCallThatCommittedAndDiedBeforeItsResponseWasStoredNeverRunsAgain() {
		String ref = UUID.randomUUID().toString();

		HttpResponse<byte[]> first = http().post("/payments/then-fail", ref, payment(ref));
		HttpResponse<byte[]> retryWhileLocked = http().post("/payments/then-fail", ref, payment(ref));

		assertThat(first.statusCode()).isEqualTo(500);
		assertThat(TestHttp.body(first)).doesNotContain("Exception").doesNotContain("at io.github");
		assertThat(retryWhileLocked.statusCode()).isEqualTo(409);
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			HttpResponse<byte[]> retry = http().post("/payments/then-fail", ref, payment(ref));
			assertThat(retry.statusCode()).isEqualTo(410);
			assertThat(retry.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(TestHttp.body(retry)).contains("https://idempotency.github.io/problems/response-lost");
		});
		assertThat(payments(ref)).isOne();
	}

	@Test
	void anUnstoredStatusAnsweredAfterTheChangesCommittedIsStoredInsteadOfReleased() {
		String ref = UUID.randomUUID().toString();

		HttpResponse<byte[]> first = http().post("/payments/then-conflict", ref, payment(ref));
		HttpResponse<byte[]> retry = http().post("/payments/then-conflict", ref, payment(ref));

		assertThat(first.statusCode()).isEqualTo(409);
		assertThat(retry.statusCode()).isEqualTo(409);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(retry.body()).isEqualTo(first.body());
		assertThat(payments(ref)).isOne();
	}

	@Test
	void aRolledBackCallLeavesTheKeyFreeAndTheRetryPaysOnce() {
		String ref = UUID.randomUUID().toString();

		HttpResponse<byte[]> first = http().post("/payments/rollback-once", ref, payment(ref));
		HttpResponse<byte[]> retry = http().post("/payments/rollback-once", ref, payment(ref));

		assertThat(first.statusCode()).isEqualTo(500);
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(payments(ref)).isOne();
	}

	@Test
	void aCallWhoseClaimWasTakenOverRollsBackInsteadOfPayingTwice() throws Exception {
		String ref = UUID.randomUUID().toString();
		Gate gate = this.app.bean(Gate.class);
		gate.close();
		CompletableFuture<HttpResponse<byte[]>> slow = CompletableFuture
			.supplyAsync(() -> http().post("/payments/slow", ref, payment(ref)));
		gate.awaitEntered();
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.jdbc.queryForObject(
					"SELECT COUNT(*) FROM idempotency_records WHERE expires_at <= (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint",
					Integer.class) > 0);

		HttpResponse<byte[]> takeOver = http().post("/payments/slow", ref, payment(ref));
		gate.open();
		HttpResponse<byte[]> lost = slow.get();

		assertThat(takeOver.statusCode()).isEqualTo(201);
		assertThat(lost.statusCode()).isEqualTo(409);
		assertThat(lost.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(TestHttp.body(lost)).contains("https://idempotency.github.io/problems/claim-lost")
			.contains("its changes were rolled back");
		assertThat(payments(ref)).isOne();
		HttpResponse<byte[]> retry = http().post("/payments/slow", ref, payment(ref));
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(retry.body()).isEqualTo(takeOver.body());
	}

	private TestHttp http() {
		return this.app.http();
	}

	private int payments(String ref) {
		return this.jdbc.queryForObject("SELECT COUNT(*) FROM payments WHERE ref = ?", Integer.class, ref);
	}

	private static String payment(String ref) {
		return "{\"ref\":\"" + ref + "\",\"amount\":100}";
	}

}
