package io.github.idempotency.sample;

import java.net.URI;

import io.github.idempotency.Idempotent;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The payments API on the reactive stack ({@code --spring.profiles.active=reactive}): the
 * same contract as {@link PaymentController}, answered without blocking an event loop —
 * the simulated work of {@code sample.payment-delay} is a timer, not a sleeping thread.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@RequestMapping("/payments")
class ReactivePaymentController {

	private final PaymentService payments;

	ReactivePaymentController(PaymentService payments) {
		this.payments = payments;
	}

	// tag::create[]
	@PostMapping
	@Idempotent
	@ResponseStatus(HttpStatus.CREATED)
	Mono<ResponseEntity<Payment>> create(@Valid @RequestBody PaymentRequest request) {
		return this.payments.createLater(request)
			.map((payment) -> ResponseEntity.created(URI.create("/payments/" + payment.id())).body(payment));
	}
	// end::create[]

}
