package io.github.idempotency.sample;

import io.github.idempotency.client.IdempotencyClientInterceptor;
import jakarta.validation.Valid;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A caller of an idempotent API: {@code POST /checkout} pays through
 * {@code POST /payments} of the instance at {@code sample.checkout.payments-url}, with
 * the starter's client half, so a lost answer or a restarted payments instance never
 * makes a second payment: one key per checkout, the same on every retry.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class Checkout {

	private final RestClient payments;

	Checkout(SampleProperties properties, IdempotencyClientInterceptor idempotency) {
		this.payments = RestClient.builder()
			.baseUrl(properties.checkout().paymentsUrl().toString())
			.requestInterceptor(idempotency)
			.build();
	}

	@PostMapping("/checkout")
	ResponseEntity<String> checkout(@Valid @RequestBody PaymentRequest request) {
		ResponseEntity<String> paid = this.payments.post()
			.uri("/payments")
			.contentType(MediaType.APPLICATION_JSON)
			.body(request)
			.retrieve()
			.toEntity(String.class);
		return ResponseEntity.status(paid.getStatusCode())
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotent-Replayed", String.valueOf(paid.getHeaders().getFirst("Idempotent-Replayed") != null))
			.body(paid.getBody());
	}

}
