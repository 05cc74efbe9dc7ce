package io.github.idempotency.internal.startup;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import io.github.idempotency.testapp.RunningProcessApp;
import io.github.idempotency.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis unreachable at start-up (R21, R22), in freshly started application JVMs: the
 * application starts and reports itself not ready, or, with
 * {@code idempotency.startup.wait-for-store}, fails with a message that says what to fix.
 */
class StoreDownAtStartupTests {

	@Test
	void startsNotReadyBecomesReadyWhenRedisStartsAndRecoversFromALongOutage() {
		RedisServerProcess redis = RedisServerProcess.start();
		redis.kill();
		try (RunningProcessApp app = RunningProcessApp.start(RedisServerProcess.freePort(), List.of(),
				"--idempotency.store=redis", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port(), "--spring.data.redis.connect-timeout=2s",
				"--idempotency.store-timeout=500ms", "--management.endpoint.health.probes.enabled=true",
				"--management.endpoint.health.show-components=always")) {
			assertThat(app.output()).containsOnlyOnce("does not answer")
				.contains("WARN")
				.contains(redis.host() + ":" + redis.port());
			assertThat(get(app, "/executions/orders").statusCode()).isEqualTo(200);
			HttpResponse<byte[]> readiness = get(app, "/actuator/health/readiness");
			assertThat(readiness.statusCode()).isEqualTo(503);
			assertThat(body(readiness)).contains("DOWN");
			assertThat(componentStatus(app)).isEqualTo("DOWN");
			HttpResponse<byte[]> refused = app.http().post("/orders", UUID.randomUUID().toString(), "{}");
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(body(refused)).contains("store-unavailable");

			redis.restart();
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(200))
				.until(() -> get(app, "/actuator/health/readiness").statusCode() == 200);
			assertThat(componentStatus(app)).isEqualTo("UP");
			assertThat(app.http().post("/orders", UUID.randomUUID().toString(), "{}").statusCode()).isEqualTo(201);

			// an outage of 17 s leaves Lettuce's own exponential back-off (1 ms doubling)
			// at a pause of about 16 s; the starter's max-reconnect-delay of 1 s is what
			// lets the application recover within 5 s of Redis coming back
			redis.kill();
			await().during(Duration.ofSeconds(17))
				.atMost(Duration.ofSeconds(45))
				.pollInterval(Duration.ofSeconds(1))
				.until(() -> app.http().post("/orders", UUID.randomUUID().toString(), "{}").statusCode() == 503);
			redis.restart();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> app.http().post("/orders", UUID.randomUUID().toString(), "{}").statusCode() == 201);
		}
		finally {
			redis.close();
		}
	}

	@Test
	void waitForStoreFailsStartupNamingHostPortAndTheProperty() {
		int port = RedisServerProcess.freePort();
		String output = RunningProcessApp.startExpectingFailure(RedisServerProcess.freePort(),
				"--idempotency.store=redis", "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + port,
				"--idempotency.startup.wait-for-store=2s");
		assertThat(output).contains("127.0.0.1:" + port)
			.contains("did not answer within 2000 ms (idempotency.startup.wait-for-store)");
	}

	private static String componentStatus(RunningProcessApp app) {
		return JsonPath.read(body(get(app, "/actuator/health")), "$.components.idempotency.status");
	}

	private static HttpResponse<byte[]> get(RunningProcessApp app, String path) {
		return app.http().send(HttpRequest.newBuilder(app.http().uri(path)).GET().build());
	}

}
