package io.github.idempotency.internal.startup;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;
import io.github.idempotency.testapp.RunningProcessApp;
import io.github.idempotency.testapp.TestHttp;
import io.github.idempotency.testsupport.Burst;
import io.github.idempotency.testsupport.CpuBurner;
import io.github.idempotency.testsupport.RedisCluster;
import io.github.idempotency.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A freshly started instance, in a JVM of its own, serves its very first traffic (R21):
 * the store is connected and its scripts loaded before the web server accepts requests,
 * also while a competing process keeps the CPUs busy.
 */
class FreshInstanceTests {

	private static final int BURST = 24;

	private static final String ORDER = "{\"item\":\"book\"}";

	private static RedisCluster cluster;

	@BeforeAll
	static void startCluster() {
		cluster = RedisCluster.start(3);
	}

	@AfterAll
	static void stopCluster() {
		cluster.close();
	}

	/**
	 * Both instances' first traffic is one burst: 24 distinct keys to the first instance
	 * and, at the same moment, 24 duplicates of one key spread over both.
	 */
	@ParameterizedTest(name = "CPUs saturated: {0}")
	@ValueSource(booleans = { false, true })
	void twoFreshInstancesSharingRedisServeTheirFirstBurst(boolean saturated) throws Exception {
		try (RedisServerProcess redis = RedisServerProcess.start();
				CpuBurner burner = saturated ? CpuBurner.start() : null) {
			String[] settings = { "--idempotency.store=redis", "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port() };
			CompletableFuture<RunningProcessApp> second = CompletableFuture.supplyAsync(() -> start(settings));
			try (RunningProcessApp first = start(settings); RunningProcessApp other = second.join()) {
				String duplicate = UUID.randomUUID().toString();
				List<Callable<HttpResponse<byte[]>>> requests = new ArrayList<>();
				for (int i = 0; i < BURST; i++) {
					requests.add(() -> first.http().post("/orders", UUID.randomUUID().toString(), ORDER));
					TestHttp instance = (i % 2 == 0) ? first.http() : other.http();
					requests.add(() -> instance.post("/plain", duplicate, ORDER));
				}
				List<HttpResponse<byte[]>> responses = Burst.send(requests);

				List<HttpResponse<byte[]>> distinct = responses.stream()
					.filter((r) -> r.uri().getPath().equals("/orders"))
					.toList();
				assertThat(distinct).hasSize(BURST)
					.allSatisfy((r) -> assertThat(r.statusCode()).as(body(r)).isEqualTo(201));
				assertThat(executions(first, "orders")).isEqualTo(BURST);

				List<HttpResponse<byte[]>> duplicates = responses.stream()
					.filter((r) -> r.uri().getPath().equals("/plain"))
					.toList();
				assertThat(duplicates).hasSize(BURST)
					.allSatisfy((r) -> assertThat(r.statusCode()).as(body(r)).isIn(201, 409));
				assertThat(duplicates.stream()
					.filter((r) -> r.statusCode() == 201 && r.headers().firstValue("Idempotent-Replayed").isEmpty()))
					.hasSize(1);
				assertThat(executions(first, "plain") + executions(other, "plain")).isEqualTo(1);
				assertThat(first.output()).contains("Idempotency records go to Redis (standalone, " + redis.host() + ":"
						+ redis.port() + "); ttl 24h, lock timeout 30s");
			}
		}
	}

	@ParameterizedTest(name = "CPUs saturated: {0}")
	@ValueSource(booleans = { false, true })
	void freshInstanceOnAClusterServesItsFirstBurst(boolean saturated) throws Exception {
		try (CpuBurner burner = saturated ? CpuBurner.start() : null;
				RunningProcessApp app = start("--idempotency.store=redis",
						"--spring.data.redis.cluster.nodes=" + String.join(",", cluster.nodeAddresses()),
						"--idempotency.key-prefix=fresh-" + saturated,
						"--logging.level.io.github.idempotency.internal.redis=DEBUG",
						"--management.endpoint.health.show-details=always")) {
			List<Callable<HttpResponse<byte[]>>> requests = new ArrayList<>();
			for (int i = 0; i < BURST; i++) {
				requests.add(() -> app.http().post("/orders", UUID.randomUUID().toString(), ORDER));
			}
			List<HttpResponse<byte[]>> responses = Burst.send(requests);

			assertThat(responses).allSatisfy((r) -> assertThat(r.statusCode()).as(body(r)).isEqualTo(201));
			assertThat(executions(app, "orders")).isEqualTo(BURST);
			assertThat(app.output()).contains("Idempotency records go to Redis (Cluster, ")
				.contains("loaded 4 scripts on 3 node(s)");
			String health = body(
					app.http().send(HttpRequest.newBuilder(app.http().uri("/actuator/health")).GET().build()));
			assertThat(JsonPath.<String>read(health, "$.components.idempotency.status")).isEqualTo("UP");
			assertThat(JsonPath.<Map<String, Object>>read(health, "$.components.idempotency.details.nodes")).as(health)
				.hasSize(3)
				.allSatisfy((node, reply) -> assertThat(reply).isEqualTo("PONG"));
		}
	}

	private static RunningProcessApp start(String... settings) {
		List<String> all = new ArrayList<>(List.of(settings));
		all.add("--server.tomcat.threads.max=" + (BURST * 2));
		return RunningProcessApp.start(RedisServerProcess.freePort(), List.of(), all.toArray(String[]::new));
	}

	private static int executions(RunningProcessApp app, String endpoint) {
		HttpResponse<byte[]> response = app.http()
			.send(HttpRequest.newBuilder(app.http().uri("/executions/" + endpoint)).GET().build());
		assertThat(response.statusCode()).isEqualTo(200);
		return Integer.parseInt(body(response).trim());
	}

}
