package io.github.idempotency.client;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.idempotency.testapp.Gate;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testsupport.DroppingProxy;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The client half against a real idempotent server over real HTTP, through a proxy that
 * loses answers: one key per logical call across every retry — the interceptor's own,
 * Spring Retry's, Resilience4j's — so the server runs each payment once.
 */
class ClientHalfTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	private static RunningApp server;

	private DroppingProxy proxy;

	private ConfigurableApplicationContext caller;

	@BeforeAll
	static void startServer() {
		server = RunningApp.start("idempotency.store=in-memory");
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@BeforeEach
	void startProxyAndCaller() {
		server.executions().reset();
		this.proxy = DroppingProxy.to(server.http().uri("/"));
		this.caller = ClientApplication.start("idempotency.client.initial-backoff=50ms",
				"idempotency.client.max-backoff=100ms");
	}

	@AfterEach
	void stopProxyAndCaller() {
		this.caller.close();
		this.proxy.close();
	}

	private RestClient restClient() {
		return this.caller.getBean(RestClient.Builder.class).baseUrl(this.proxy.uri().toString()).build();
	}

	private ResponseEntity<String> order(RestClient client, String path) {
		return client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.body(ORDER)
			.retrieve()
			.toEntity(String.class);
	}

	@Test
	void answersLostAfterTheServerRanAreRetriedWithTheSameKeyAndEndAsTheReplay() {
		this.proxy.dropAnswers(2);
		ResponseEntity<String> response = order(restClient(), "/orders");

		assertThat(response.getStatusCode().value()).isEqualTo(201);
		assertThat(response.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(server.executions().count("orders")).isEqualTo(1);
		assertThat(this.proxy.keys()).hasSize(3).doesNotContainNull().containsOnly(this.proxy.keys().get(0));
		assertThat(counted("replayed", "3")).isEqualTo(1);
	}

	@Test
	void aConflictWhileTheFirstAttemptStillRunsIsWaitedOutAndEndsAsTheReplay() throws Exception {
		Gate gate = server.bean(Gate.class);
		gate.close();
		this.proxy.dropAtOnce(1);
		ConfigurableApplicationContext patient = ClientApplication.start("idempotency.client.max-attempts=10");
		try {
			RestClient client = patient.getBean(RestClient.Builder.class).baseUrl(this.proxy.uri().toString()).build();
			CompletableFuture<ResponseEntity<String>> call = CompletableFuture
				.supplyAsync(() -> order(client, "/slow"));
			gate.awaitEntered();
			await().atMost(Duration.ofSeconds(30)).until(() -> this.proxy.statuses().contains(409));
			gate.open();
			ResponseEntity<String> response = call.get();

			assertThat(response.getStatusCode().value()).isEqualTo(201);
			assertThat(response.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
			assertThat(server.executions().count("slow")).isEqualTo(1);
			assertThat(this.proxy.keys()).containsOnly(this.proxy.keys().get(0));
		}
		finally {
			gate.open();
			patient.close();
		}
	}

	@Test
	void springRetryAroundTheCallKeepsOneKeyWhenTheCallIsBoundToIt() {
		ConfigurableApplicationContext noOwnRetries = ClientApplication.start("idempotency.client.max-attempts=1");
		try {
			RestClient client = noOwnRetries.getBean(RestClient.Builder.class)
				.baseUrl(this.proxy.uri().toString())
				.build();
			IdempotencyKeys keys = noOwnRetries.getBean(IdempotencyKeys.class);
			RetryTemplate retry = RetryTemplate.builder()
				.maxAttempts(3)
				.fixedBackoff(50)
				.retryOn(ResourceAccessException.class)
				.build();

			this.proxy.dropAnswers(1);
			ResponseEntity<String> bound = keys.withKey(() -> retry.execute((context) -> order(client, "/orders")));
			assertThat(bound.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
			assertThat(server.executions().count("orders")).isEqualTo(1);
			assertThat(this.proxy.keys()).hasSize(2).containsOnly(this.proxy.keys().get(0));

			// the classic mistake, for contrast: a key made inside the retried block, one
			// per attempt
			this.proxy.dropAnswers(1);
			retry.execute((context) -> order(client, "/orders"));
			assertThat(server.executions().count("orders")).isEqualTo(3);
		}
		finally {
			noOwnRetries.close();
		}
	}

	@Test
	void resilience4jAroundTheCallKeepsOneKeyWhenTheCallIsBoundToIt() {
		ConfigurableApplicationContext noOwnRetries = ClientApplication.start("idempotency.client.max-attempts=1");
		try {
			RestClient client = noOwnRetries.getBean(RestClient.Builder.class)
				.baseUrl(this.proxy.uri().toString())
				.build();
			IdempotencyKeys keys = noOwnRetries.getBean(IdempotencyKeys.class);
			Retry retry = Retry.of("payments",
					RetryConfig.custom()
						.maxAttempts(3)
						.waitDuration(Duration.ofMillis(50))
						.retryExceptions(ResourceAccessException.class)
						.build());

			this.proxy.dropAnswers(2);
			ResponseEntity<String> response = keys
				.withKey(() -> Retry.decorateSupplier(retry, () -> order(client, "/orders")).get());
			assertThat(response.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
			assertThat(server.executions().count("orders")).isEqualTo(1);
			assertThat(this.proxy.keys()).hasSize(3).containsOnly(this.proxy.keys().get(0));
		}
		finally {
			noOwnRetries.close();
		}
	}

	@Test
	void webClientRetriesWithTheSameKeyWithoutBlocking() {
		WebClient client = this.caller.getBean(WebClient.Builder.class).baseUrl(this.proxy.uri().toString()).build();
		this.proxy.dropAnswers(1);
		ResponseEntity<String> response = client.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(ORDER)
			.retrieve()
			.toEntity(String.class)
			.block(Duration.ofSeconds(30));

		assertThat(response.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(server.executions().count("orders")).isEqualTo(1);
		assertThat(this.proxy.keys()).hasSize(2).containsOnly(this.proxy.keys().get(0));
	}

	@Test
	void aWebClientRequestMarkedNotRepeatableIsSentOnce() {
		WebClient client = this.caller.getBean(WebClient.Builder.class).baseUrl(this.proxy.uri().toString()).build();
		this.proxy.dropAnswers(1);
		assertThatExceptionOfType(WebClientRequestException.class).isThrownBy(() -> client.post()
			.uri("/orders")
			.attribute(IdempotencyExchangeFilterFunction.NOT_REPEATABLE, true)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(ORDER)
			.retrieve()
			.toEntity(String.class)
			.block(Duration.ofSeconds(30)));
		assertThat(this.proxy.keys()).hasSize(1).doesNotContainNull();
	}

	@Test
	void aKeyTheCallerSetIsKeptAndOtherMethodsGetNone() {
		RestClient client = restClient();
		client.post()
			.uri("/orders")
			.header("Idempotency-Key", "\"caller-key-" + UUID.randomUUID() + "\"")
			.contentType(MediaType.APPLICATION_JSON)
			.body(ORDER)
			.retrieve()
			.toBodilessEntity();
		client.get().uri("/executions/orders").retrieve().toBodilessEntity();
		client.put().uri("/executions/orders").retrieve().onStatus((status) -> true, (request, response) -> {
		}).toBodilessEntity();
		client.delete().uri("/executions/orders").retrieve().onStatus((status) -> true, (request, response) -> {
		}).toBodilessEntity();

		List<String> keys = this.proxy.keys();
		assertThat(keys.get(0)).startsWith("\"caller-key-");
		assertThat(keys.subList(1, 4)).containsOnlyNulls();
	}

	@Test
	void aClientErrorIsNeverRetried() {
		RestClient client = restClient();
		String key = "\"" + UUID.randomUUID() + "\"";
		client.post()
			.uri("/orders")
			.header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.body(ORDER)
			.retrieve()
			.toBodilessEntity();
		ResponseEntity<Void> reused = client.post()
			.uri("/orders")
			.header("Idempotency-Key", key)
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"item\":\"another\"}")
			.retrieve()
			.onStatus((status) -> true, (request, response) -> {
			})
			.toBodilessEntity();
		assertThat(reused.getStatusCode().value()).isEqualTo(422);
		assertThat(this.proxy.keys()).hasSize(2);
	}

	private double counted(String result, String attempts) {
		var counter = this.caller.getBean(MeterRegistry.class)
			.find("idempotency.client.requests")
			.tags("result", result, "attempts", attempts, "method", "POST")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
