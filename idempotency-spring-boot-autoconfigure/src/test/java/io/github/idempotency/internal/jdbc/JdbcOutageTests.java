package io.github.idempotency.internal.jdbc;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.TestHttp;
import io.github.idempotency.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database goes away under a running payment service on the JDBC store and comes
 * back: while it is away, idempotent requests are refused with 503
 * {@code store-unavailable} within the store timeout (the connection pool's own 30 s wait
 * does not hold them), nothing runs and readiness is down; afterwards the service
 * recovers without a restart.
 */
class JdbcOutageTests {

	@Test
	void theDatabaseAwayMeans503WithinTheStoreTimeoutAndTheServiceRecoversByItself() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
			new JdbcTemplate(database.dataSource()).execute(PaymentsApplication.PAYMENTS_TABLE);
			List<String> properties = new ArrayList<>(database.settings());
			properties.addAll(List.of("idempotency.store=jdbc", "idempotency.jdbc.initialize-schema=always",
					"management.endpoint.health.probes.enabled=true"));
			try (RunningApp app = RunningApp.start(PaymentsApplication.class, properties.toArray(String[]::new))) {
				TestHttp http = app.http();
				assertThat(pay(http).statusCode()).isEqualTo(201);

				database.refuseConnections();
				for (int i = 0; i < 5; i++) {
					long started = System.nanoTime();
					HttpResponse<byte[]> refused = pay(http);
					assertThat(refused.statusCode()).isEqualTo(503);
					assertThat(TestHttp.body(refused)).contains("store-unavailable");
					assertThat(refused.headers().firstValue("Retry-After")).isPresent();
					assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
				}
				assertThat(readiness(http)).isEqualTo(503);

				database.allowConnections();
				await().atMost(Duration.ofSeconds(30))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> pay(http).statusCode() == 201);
				assertThat(readiness(http)).isEqualTo(200);
				assertThat(new JdbcTemplate(database.dataSource()).queryForObject("SELECT COUNT(*) FROM payments",
						Integer.class))
					.isEqualTo(2);
			}
		}
	}

	private static HttpResponse<byte[]> pay(TestHttp http) {
		String ref = UUID.randomUUID().toString();
		return http.post("/payments", ref, "{\"ref\":\"" + ref + "\",\"amount\":1}");
	}

	private static int readiness(TestHttp http) {
		return http.send(java.net.http.HttpRequest.newBuilder(http.uri("/actuator/health/readiness")).GET().build())
			.statusCode();
	}

}
