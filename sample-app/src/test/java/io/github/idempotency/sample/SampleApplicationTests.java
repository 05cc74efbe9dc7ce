package io.github.idempotency.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's contract, over real HTTP, with its default in-memory store; a subclass
 * runs the same checks on another store. The application starts as {@code java -jar}
 * starts it (no test slices, metrics export on), the same way on Spring Boot 3 and 4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SampleApplicationTests {

	/** A request that gets no answer fails the test instead of hanging the build. */
	private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

	private ConfigurableApplicationContext application;

	private int port;

	/**
	 * @return the arguments that choose the store, none for the default
	 */
	protected List<String> storeArguments() {
		return List.of();
	}

	/**
	 * @return the running application
	 */
	protected ConfigurableApplicationContext application() {
		return this.application;
	}

	/**
	 * @return the name of {@code POST /payments} in metrics
	 */
	protected String paymentsEndpoint() {
		return "PaymentController#create";
	}

	@BeforeAll
	void start() {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off"));
		arguments.addAll(storeArguments());
		this.application = SpringApplication.run(SampleApplication.class, arguments.toArray(String[]::new));
		this.port = this.application.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@AfterAll
	void stop() {
		try {
			this.application.close();
		}
		finally {
			closeStore();
		}
	}

	/**
	 * Gives back what {@link #storeArguments()} pointed at, once the application stopped.
	 * JUnit does not run an {@code @AfterAll} method that a subclass overrides, so
	 * subclasses override this instead.
	 */
	protected void closeStore() {
	}

	private final HttpClient client = HttpClient.newHttpClient();

	private HttpResponse<String> post(String key, String json) throws Exception {
		return post("/payments", key, json);
	}

	private HttpResponse<String> post(String path, String key, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(ANSWER_WITHIN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(
				HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(ANSWER_WITHIN).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void createsAPaymentOnceAndReplaysIt() throws Exception {
		String key = "\"" + UUID.randomUUID() + "\"";
		HttpResponse<String> created = post(key, "{\"amount\":1000,\"currency\":\"EUR\"}");
		HttpResponse<String> replayed = post(key, "{\"amount\":1000,\"currency\":\"EUR\"}");

		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.headers().firstValue("Location"))
			.hasValueSatisfying((l) -> assertThat(l).startsWith("/payments/pay_"));
		assertThat(created.body()).contains("\"amount\":1000", "\"currency\":\"EUR\"", "\"status\":\"succeeded\"",
				"\"id\":\"pay_");
		assertThat(replayed.statusCode()).isEqualTo(201);
		assertThat(replayed.body()).isEqualTo(created.body());
		assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");

		String id = created.headers().firstValue("Location").orElseThrow().substring("/payments/".length());
		assertThat(get("/payments").body()).containsOnlyOnce("\"id\":\"" + id + "\"");
		assertThat(get("/payments/" + id).statusCode()).isEqualTo(200);
		assertThat(get("/payments/pay_unknown").statusCode()).isEqualTo(404);
	}

	@Test
	void createsABatchOfPaymentsOnceAndReplaysItByteForByte() throws Exception {
		String key = "\"" + UUID.randomUUID() + "\"";
		String amounts = "{\"amounts\":[" + "1000,".repeat(57) + "1000],\"currency\":\"EUR\"}";
		int before = get("/payments").body().split("\"id\"").length;
		HttpResponse<String> created = post("/payment-batches", key, amounts);
		HttpResponse<String> replayed = post("/payment-batches", key, amounts);

		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.body()).startsWith("{\"payments\":[{\"id\":\"pay_").hasSizeGreaterThan(3900);
		assertThat(replayed.statusCode()).isEqualTo(201);
		assertThat(replayed.body()).isEqualTo(created.body());
		assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(get("/payments").body().split("\"id\"").length).isEqualTo(before + 58);
		assertThat(post("/payment-batches", "\"" + UUID.randomUUID() + "\"", "{\"amounts\":[],\"currency\":\"EUR\"}")
			.statusCode()).isEqualTo(400);
	}

	@Test
	void statementOfAnySizeIsReplayedByteForByte() throws Exception {
		String key = "\"" + UUID.randomUUID() + "\"";
		String request = "{\"account\":\"acme-1\",\"lines\":700}";
		HttpResponse<String> issued = post("/statements", key, request);
		HttpResponse<String> replayed = post("/statements", key, request);

		assertThat(issued.statusCode()).isEqualTo(201);
		assertThat(issued.body()).startsWith("{\"account\":\"acme-1\",\"lines\":[{\"number\":1,")
			.contains("{\"number\":700,")
			.hasSizeGreaterThan(60_000);
		assertThat(replayed.statusCode()).isEqualTo(201);
		assertThat(replayed.body()).isEqualTo(issued.body());
		assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(post("/statements", key, "{\"account\":\"acme-1\",\"lines\":701}").statusCode()).isEqualTo(422);
		assertThat(post("/statements", "\"" + UUID.randomUUID() + "\"", "{\"account\":\"acme-1\",\"lines\":0}")
			.statusCode()).isEqualTo(400);
	}

	@Test
	void invalidAmountOrCurrencyIs400AndCreatesNothing() throws Exception {
		int before = get("/payments").body().split("\"id\"").length;
		assertThat(post("\"" + UUID.randomUUID() + "\"", "{\"amount\":-5,\"currency\":\"EUR\"}").statusCode())
			.isEqualTo(400);
		assertThat(post("\"" + UUID.randomUUID() + "\"", "{\"amount\":5,\"currency\":\"EURO\"}").statusCode())
			.isEqualTo(400);
		assertThat(post("\"" + UUID.randomUUID() + "\"", "{\"amount\":5}").statusCode()).isEqualTo(400);
		assertThat(post("\"" + UUID.randomUUID() + "\"", "{not json").statusCode()).isEqualTo(400);
		assertThat(get("/payments").body().split("\"id\"").length).isEqualTo(before);
	}

	@Test
	void invalidPaymentGivesItsKeyBackUntilACorrectedOneRuns() throws Exception {
		String key = "\"" + UUID.randomUUID() + "\"";
		String invalid = "{\"amount\":-5,\"currency\":\"EUR\"}";
		String valid = "{\"amount\":5,\"currency\":\"EUR\"}";
		assertThat(post(key, invalid).statusCode()).isEqualTo(400);
		HttpResponse<String> corrected = post(key, valid);
		assertThat(corrected.statusCode()).isEqualTo(201);
		assertThat(corrected.headers().firstValue("Idempotent-Replayed")).isEmpty();
		HttpResponse<String> retried = post(key, valid);
		assertThat(retried.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(retried.body()).isEqualTo(corrected.body());
		HttpResponse<String> invalidAfterwards = post(key, invalid);
		assertThat(invalidAfterwards.statusCode()).isEqualTo(422);
		assertThat(invalidAfterwards.body()).contains("https://idempotency.github.io/problems/key-reused");
	}

	@Test
	void missingKeyIs400Problem() throws Exception {
		HttpResponse<String> response = post(null, "{\"amount\":1000,\"currency\":\"EUR\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("https://idempotency.github.io/problems/missing-key");
	}

	@Test
	void differentBodyWithTheSameKeyIs422() throws Exception {
		String key = "\"" + UUID.randomUUID() + "\"";
		post(key, "{\"amount\":1000,\"currency\":\"EUR\"}");
		HttpResponse<String> response = post(key, "{\"amount\":2000,\"currency\":\"EUR\"}");
		assertThat(response.statusCode()).isEqualTo(422);
		assertThat(response.body()).contains("https://idempotency.github.io/problems/key-reused");
	}

	@Test
	void theOpenApiDocumentShowsTheKeyHeaderAndTheProblemsOfPostPayments() throws Exception {
		HttpResponse<String> document = get("/v3/api-docs");
		assertThat(document.statusCode()).isEqualTo(200);
		String post = JsonPath.parse(document.body()).read("$.paths['/payments'].post").toString();
		assertThat(post).contains("Idempotency-Key").contains("IdempotencyProblem").contains("Idempotent-Replayed");
		String get = JsonPath.parse(document.body()).read("$.paths['/payments'].get").toString();
		assertThat(get).doesNotContain("Idempotency-Key");
	}

	@Test
	void prometheusShowsReplaysAndHealthIsUp() throws Exception {
		String key = "\"" + UUID.randomUUID() + "\"";
		post(key, "{\"amount\":700,\"currency\":\"EUR\"}");
		post(key, "{\"amount\":700,\"currency\":\"EUR\"}");
		HttpResponse<String> prometheus = get("/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body())
			.containsPattern("idempotency_requests_total\\{endpoint=\"" + paymentsEndpoint()
					+ "\",[^}]*outcome=\"replayed\"[^}]*\\} [1-9]")
			.containsPattern(
					"idempotency_store_seconds_count\\{[^}]*operation=\"claim\",result=\"success\"[^}]*\\} [1-9]")
			// the sample does not trace: no observations, so none of their timers repeat
			// the meters above
			.doesNotContain("idempotency_call_seconds")
			.doesNotContain("idempotency_store_call_seconds");
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"");
	}

}
