package io.github.idempotency.sample;

import java.net.URI;

import io.github.idempotency.Idempotent;
import jakarta.validation.Valid;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Creating a payment on Spring MVC: idempotent. Reading payments is
 * {@link PaymentQueries}.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@RequestMapping("/payments")
class PaymentController {

	private final PaymentService payments;

	PaymentController(PaymentService payments) {
		this.payments = payments;
	}

	// tag::create[]
	@PostMapping
	@Idempotent
	@ResponseStatus(HttpStatus.CREATED) // for the OpenAPI document
	ResponseEntity<Payment> create(@Valid @RequestBody PaymentRequest request) {
		Payment payment = this.payments.create(request);
		return ResponseEntity.created(URI.create("/payments/" + payment.id())).body(payment);
	}
	// end::create[]

}
