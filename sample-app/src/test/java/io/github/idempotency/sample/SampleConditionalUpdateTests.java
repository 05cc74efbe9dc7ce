package io.github.idempotency.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's conditional update, {@code PUT /payments/{id}/description} with
 * {@code If-Match}, over real HTTP: optimistic concurrency answers 412 to a stale version
 * and 428 without one, and the key makes the retry of a change that succeeded get that
 * change back where, without a key, the same retry gets 412 because the version moved on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleConditionalUpdateTests {

	private final HttpClient client = HttpClient.newHttpClient();

	private ConfigurableApplicationContext application;

	private int port;

	@BeforeAll
	void start() {
		this.application = SpringApplication.run(SampleApplication.class, "--server.port=0",
				"--spring.main.banner-mode=off");
		this.port = this.application.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@AfterAll
	void stop() {
		this.application.close();
	}

	@Test
	void theRetryOfAChangeThatSucceededGetsItBackWithItsKeyAndA412WithoutOne() throws Exception {
		String payment = newPayment();
		HttpResponse<String> read = send(get(payment));
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.headers().firstValue("ETag")).hasValue("\"0\"");

		String key = UUID.randomUUID().toString();
		HttpResponse<String> changed = send(put(payment, key, "\"0\"", "Invoice 42"));
		HttpResponse<String> retried = send(put(payment, key, "\"0\"", "Invoice 42"));

		assertThat(changed.statusCode()).isEqualTo(200);
		assertThat(changed.headers().firstValue("ETag")).hasValue("\"1\"");
		assertThat(JsonPath.<String>read(changed.body(), "$.text")).isEqualTo("Invoice 42");
		assertThat(retried.statusCode()).isEqualTo(200);
		assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(retried.headers().firstValue("ETag")).hasValue("\"1\"");
		assertThat(retried.body()).isEqualTo(changed.body());

		HttpResponse<String> retriedWithoutKey = send(put(payment, null, "\"0\"", "Invoice 42"));
		assertThat(retriedWithoutKey.statusCode()).isEqualTo(412);
		assertThat(retriedWithoutKey.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(JsonPath.<Integer>read(send(get(payment)).body(), "$.version")).isEqualTo(1);
	}

	@Test
	void aStaleOrMissingVersionIsRefusedAndAnUnknownPaymentIsNotFound() throws Exception {
		String payment = newPayment();
		assertThat(send(put(payment, UUID.randomUUID().toString(), "\"0\"", "first")).statusCode()).isEqualTo(200);

		assertThat(send(put(payment, UUID.randomUUID().toString(), "\"0\"", "second")).statusCode()).isEqualTo(412);
		assertThat(send(put(payment, UUID.randomUUID().toString(), null, "second")).statusCode()).isEqualTo(428);
		assertThat(send(put("pay_unknown", UUID.randomUUID().toString(), "\"0\"", "x")).statusCode()).isEqualTo(404);
		assertThat(JsonPath.<String>read(send(get(payment)).body(), "$.text")).isEqualTo("first");
	}

	@Test
	void twoChangesOfTheSameVersionAtOnceLetOneThrough() throws Exception {
		String payment = newPayment();
		CountDownLatch ready = new CountDownLatch(2);
		List<Callable<HttpResponse<String>>> changes = List.of("left", "right").stream().map((text) -> {
			Callable<HttpResponse<String>> change = () -> {
				ready.countDown();
				ready.await();
				return send(put(payment, UUID.randomUUID().toString(), "\"0\"", text));
			};
			return change;
		}).toList();
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			List<Integer> statuses = threads.invokeAll(changes)
				.stream()
				.map(SampleConditionalUpdateTests::status)
				.sorted()
				.toList();
			assertThat(statuses).containsExactly(200, 412);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(JsonPath.<Integer>read(send(get(payment)).body(), "$.version")).isEqualTo(1);
	}

	private String newPayment() throws Exception {
		HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/payments"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1250,\"currency\":\"EUR\"}"))
			.build());
		assertThat(created.statusCode()).isEqualTo(201);
		return JsonPath.read(created.body(), "$.id");
	}

	private HttpRequest get(String payment) {
		return HttpRequest.newBuilder(uri("/payments/" + payment + "/description")).build();
	}

	private HttpRequest put(String payment, String key, String ifMatch, String text) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri("/payments/" + payment + "/description"))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}"));
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		if (ifMatch != null) {
			request.header("If-Match", ifMatch);
		}
		return request.build();
	}

	private HttpResponse<String> send(HttpRequest request) throws Exception {
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static int status(Future<HttpResponse<String>> response) {
		try {
			return response.get().statusCode();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
