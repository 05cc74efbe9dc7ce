package io.github.idempotency.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.idempotency.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's floor ({@code sample.floor.enabled}) answers like
 * {@code POST /payments}, so the benchmark compares like with like: a first request, its
 * replay byte for byte, another body under the same key, no key.
 */
class SampleFloorTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void theFloorAnswersAsTheStarterDoes() throws Exception {
		try (RedisServerProcess redis = RedisServerProcess.start();
				ConfigurableApplicationContext app = SpringApplication.run(SampleApplication.class, "--server.port=0",
						"--spring.main.banner-mode=off", "--sample.floor.enabled=true", "--idempotency.enabled=false",
						"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port())) {
			int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

			HttpResponse<String> first = post(port, "\"floor-1\"", "{\"amount\":1000,\"currency\":\"EUR\"}");
			HttpResponse<String> replay = post(port, "\"floor-1\"", "{\"amount\":1000,\"currency\":\"EUR\"}");

			assertThat(first.statusCode()).isEqualTo(201);
			assertThat(first.body()).startsWith("{\"id\":\"pay_")
				.endsWith(",\"amount\":1000,\"currency\":\"EUR\",\"status\":\"succeeded\"}");
			assertThat(first.headers().firstValue("Location"))
				.hasValueSatisfying((l) -> assertThat(l).startsWith("/payments/pay_"));
			assertThat(replay.statusCode()).isEqualTo(201);
			assertThat(replay.body()).isEqualTo(first.body());
			assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			assertThat(post(port, "\"floor-1\"", "{\"amount\":2000,\"currency\":\"EUR\"}").statusCode()).isEqualTo(422);
			assertThat(post(port, null, "{\"amount\":1000,\"currency\":\"EUR\"}").statusCode()).isEqualTo(400);
			assertThat(redis.cli("get", "floor:\"floor-1\"")).startsWith("C1000/EUR|pay_")
				.endsWith("|1000|EUR|succeeded");
		}
	}

	private HttpResponse<String> post(int port, String key, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/floor/payments"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
