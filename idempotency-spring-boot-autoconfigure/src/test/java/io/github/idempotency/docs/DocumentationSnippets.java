package io.github.idempotency.docs;

import java.time.Duration;
import java.util.Map;

import io.github.idempotency.Idempotent;
import io.github.idempotency.ResponseEncryptionKeys;
import io.github.idempotency.client.IdempotencyExchangeFilterFunction;
import io.github.idempotency.client.IdempotencyKeys;
import io.github.resilience4j.retry.Retry;
import reactor.core.publisher.Mono;

import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RouterFunctions.route;

/**
 * The code the documentation shows, compiled with the tests: each region between
 * {@code tag::name[]} and {@code end::name[]} is a snippet of a page, and
 * {@code DocumentationTests} fails when the page's copy differs from it. Not run: the
 * classes stand for an application's own.
 */
final class DocumentationSnippets {

	private DocumentationSnippets() {
	}

	record PaymentEvent(String paymentId, long amount) {
	}

	record PaymentCreated(String paymentId) {
	}

	record Receipt(String paymentId) {
	}

	record Order(String id, long total) {
	}

	record Confirmation(String orderId) {
	}

	record Payment(String id, long amount) {
	}

	/** Service methods and listeners. */
	static class Receipts {

		// tag::methods[]
		@RabbitListener(queues = "payments")
		@Idempotent(key = "#event.paymentId")
		public Receipt onPayment(PaymentEvent event) {
			return new Receipt(event.paymentId()); // runs once per paymentId
		}

		@Idempotent(key = "#order.id", fingerprint = "#order.total", ttl = "7d")
		public Confirmation confirm(Order order) {
			return new Confirmation(order.id()); // a retried call gets the stored value
		}
		// end::methods[]

	}

	/** One listener per broker. */
	static class Listeners {

		// tag::listeners[]
		@RabbitListener(queues = "payments")
		@Idempotent(key = "#event.paymentId")
		public void onRabbitPayment(PaymentCreated event) {
			// send the receipt
		}

		@KafkaListener(topics = "payments", groupId = "receipts")
		@Idempotent(key = "#event.paymentId")
		public void onKafkaPayment(PaymentCreated event) {
			// send the receipt
		}
		// end::listeners[]

	}

	/** Retries outside the client, each attempt with the call's key. */
	static class Payments {

		private final IdempotencyKeys keys;

		private final RestClient restClient;

		private final WebClient webClient;

		private final RetryTemplate retryTemplate = RetryTemplate.defaultInstance();

		private final Retry retry = Retry.ofDefaults("payments");

		Payments(IdempotencyKeys keys, RestClient restClient, WebClient webClient) {
			this.keys = keys;
			this.restClient = restClient;
			this.webClient = webClient;
		}

		Receipt withSpringRetry(Payment payment) {
			// tag::spring-retry[]
			Receipt receipt = keys.withKey(() -> retryTemplate
				.execute((context) -> restClient.post().uri("/payments").body(payment).retrieve().body(Receipt.class)));
			// end::spring-retry[]
			return receipt;
		}

		Receipt withResilience4j(Payment payment) {
			// tag::resilience4j[]
			Receipt receipt = keys.withKey(() -> Retry.decorateSupplier(retry, () -> pay(payment)).get());
			// end::resilience4j[]
			return receipt;
		}

		Mono<Receipt> withWebClient(Payment payment) {
			// tag::webclient[]
			Mono<Receipt> receipt = IdempotencyExchangeFilterFunction.withKey(webClient.post()
				.uri("/payments")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(payment)
				.retrieve()
				.bodyToMono(Receipt.class)
				.retryWhen(reactor.util.retry.Retry.backoff(3, Duration.ofMillis(200))));
			// end::webclient[]
			return receipt;
		}

		private Receipt pay(Payment payment) {
			return this.restClient.post().uri("/payments").body(payment).retrieve().body(Receipt.class);
		}

	}

	/** A functional WebFlux endpoint. */
	static class Routes {

		// tag::functional[]
		@Bean
		RouterFunction<ServerResponse> routes(io.github.idempotency.webflux.IdempotencyFilterFunctions idempotency) {
			return route().POST("/payments", (request) -> ServerResponse.status(201).build())
				// also lockTimeout(…), waitForInProgress(…), keyOptional()
				.filter(idempotency.endpoint("Payments#create").ttl(Duration.ofHours(1)))
				.build();
		}
		// end::functional[]

	}

	/** Keys from a key management service. */
	static class Encryption {

		interface MyKms {

			byte[] dataKey(String name);

		}

		// tag::encryption-keys[]
		@Bean
		ResponseEncryptionKeys responseEncryptionKeys(MyKms kms) {
			return ResponseEncryptionKeys.of("2026-12", Map.of( // 32 bytes each
					"2026-11", kms.dataKey("idempotency-2026-11"), //
					"2026-12", kms.dataKey("idempotency-2026-12")));
		}
		// end::encryption-keys[]

	}

}
