package io.github.idempotency.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every floor of the benchmark ({@code sample.floor.enabled}) must answer, as
 * {@code POST /payments} does, so the benchmark compares like with like: a first request,
 * its replay byte for byte, a request while the first is in flight, another body under
 * the same key, no key — and the record it keeps. Each floor's test says how it is
 * started and where its record is read.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FloorContractTests {

	private static final String PAYMENT = "{\"amount\":1000,\"currency\":\"EUR\"}";

	private final HttpClient client = HttpClient.newHttpClient();

	private ConfigurableApplicationContext application;

	private int port;

	/** The arguments that start the floor, besides the port and the payment delay. */
	protected abstract List<String> floorArguments();

	/** The record the floor keeps under a storage key, or {@code null}. */
	protected abstract String storedRecord(String storageKey) throws Exception;

	/** Stops the store the floor used, once its applications have stopped. */
	protected abstract void closeStore();

	/**
	 * Starts the floor, once for the class (one reactive application per JVM): creating a
	 * payment takes two seconds, so a request can arrive while the first is in flight.
	 */
	@BeforeAll
	void start() {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
				"--sample.floor.enabled=true", "--idempotency.enabled=false", "--sample.payment-delay=2s"));
		arguments.addAll(floorArguments());
		this.application = SpringApplication.run(SampleApplication.class, arguments.toArray(String[]::new));
		this.port = this.application.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@AfterAll
	void stop() {
		if (this.application != null) {
			this.application.close();
		}
		closeStore();
	}

	@Test
	void theFloorAnswersAsTheStarterDoes() throws Exception {
		int port = this.port;

		HttpResponse<String> first = post(port, "\"floor-1\"", PAYMENT);
		HttpResponse<String> replay = post(port, "\"floor-1\"", PAYMENT);

		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(first.body()).startsWith("{\"id\":\"pay_")
			.endsWith(",\"amount\":1000,\"currency\":\"EUR\",\"status\":\"succeeded\"}");
		assertThat(first.headers().firstValue("Location"))
			.hasValueSatisfying((l) -> assertThat(l).startsWith("/payments/pay_"));
		assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(post(port, "\"floor-1\"", "{\"amount\":2000,\"currency\":\"EUR\"}").statusCode()).isEqualTo(422);
		assertThat(post(port, null, PAYMENT).statusCode()).isEqualTo(400);
		assertThat(storedRecord("floor:\"floor-1\"")).startsWith("C1000/EUR|pay_").endsWith("|1000|EUR|succeeded");
	}

	@Test
	void aRequestWhileTheFirstIsInFlightIsAnsweredConflictAndTheFirstCompletes() throws Exception {
		int port = this.port;

		CompletableFuture<HttpResponse<String>> first = postAsync(port, "\"floor-2\"", PAYMENT);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(storedRecord("floor:\"floor-2\"")).startsWith("P1000/EUR|"));
		HttpResponse<String> duplicate = post(port, "\"floor-2\"", PAYMENT);

		assertThat(duplicate.statusCode()).isEqualTo(409);
		assertThat(duplicate.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(first.get().statusCode()).isEqualTo(201);
		HttpResponse<String> replay = post(port, "\"floor-2\"", PAYMENT);
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(replay.body()).isEqualTo(first.get().body());
	}

	private HttpResponse<String> post(int port, String key, String json) throws Exception {
		return this.client.send(request(port, key, json), HttpResponse.BodyHandlers.ofString());
	}

	private CompletableFuture<HttpResponse<String>> postAsync(int port, String key, String json) {
		return this.client.sendAsync(request(port, key, json), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest request(int port, String key, String json) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/floor/payments"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		return request.build();
	}

}
