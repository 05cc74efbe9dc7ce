package io.github.idempotency.starter;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.idempotency.starter.app.JpaPaymentsApplication;
import io.github.idempotency.testapp.RunningProcessApp;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.github.idempotency.testsupport.TestClassPath;
import io.github.idempotency.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JDBC-only service (Spring Data JPA on PostgreSQL, {@code idempotency.store=jdbc}),
 * each in a JVM of its own: with the starter as the documentation shows it for such a
 * service (Spring Data Redis excluded) it starts without Spring Data's strict-mode
 * messages and runs a retried payment once; with Spring Data Redis left in, those
 * messages appear at every start.
 */
class JdbcOnlyServiceTests {

	private static final String PAYMENT = "{\"amount\":1250}";

	private static final String STRICT_MODE = "Multiple Spring Data modules found, entering strict repository configuration mode";

	/**
	 * The class path of the service with the exclusion: Spring Data Redis and what only
	 * it brings (Lettuce, Netty, Reactor) are gone; Spring Data Commons stays, JPA needs
	 * it.
	 */
	private static final String WITHOUT_SPRING_DATA_REDIS = TestClassPath.without(
			List.of("spring-boot-starter-data-redis-", "spring-data-redis-", "lettuce-core-"), "spring-data-keyvalue-",
			"redis-authx-core-", "spring-boot-data-redis-", "spring-oxm-", "spring-context-support-", "netty-",
			"reactor-core-", "reactive-streams-");

	@Test
	void withSpringDataRedisExcludedAJpaServiceStartsQuietlyAndRunsARetriedPaymentOnce() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				RunningProcessApp app = start(WITHOUT_SPRING_DATA_REDIS, database)) {
			String key = UUID.randomUUID().toString();
			HttpResponse<byte[]> first = app.http().post("/payments", key, PAYMENT);
			HttpResponse<byte[]> replay = app.http().post("/payments", key, PAYMENT);

			assertThat(first.statusCode()).as(body(first)).isEqualTo(201);
			assertThat(replay.body()).isEqualTo(first.body());
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			assertThat(count(app)).isEqualTo("1");
			assertThat(app.output()).contains("Idempotency records go to PostgreSQL")
				.contains("(JDBC store)")
				.doesNotContain(STRICT_MODE)
				.doesNotContain("Could not safely identify store assignment")
				.doesNotContain("Redis");
		}
	}

	@Test
	void withSpringDataRedisLeftInEveryStartLogsSpringDataStrictMode() {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				RunningProcessApp app = start(System.getProperty("java.class.path"), database)) {
			assertThat(app.output()).contains(STRICT_MODE).contains("Idempotency records go to PostgreSQL");
		}
	}

	private static RunningProcessApp start(String classPath, TestDatabase database) {
		List<String> arguments = new ArrayList<>();
		database.settings().forEach((setting) -> arguments.add("--" + setting));
		arguments.add("--idempotency.store=jdbc");
		arguments.add("--idempotency.jdbc.initialize-schema=always");
		arguments.add("--spring.jpa.hibernate.ddl-auto=create");
		return RunningProcessApp.start(JpaPaymentsApplication.class, classPath, RedisServerProcess.freePort(),
				List.of(), arguments.toArray(String[]::new));
	}

	private static String count(RunningProcessApp app) {
		return body(app.http().send(HttpRequest.newBuilder(app.http().uri("/payments/count")).GET().build()));
	}

}
