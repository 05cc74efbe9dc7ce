package io.github.idempotency.sample;

import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reading payments, naturally idempotent, on either stack: Spring MVC and WebFlux map the
 * same controller.
 */
@RestController
@RequestMapping("/payments")
class PaymentQueries {

	private final PaymentService payments;

	PaymentQueries(PaymentService payments) {
		this.payments = payments;
	}

	@GetMapping
	List<Payment> list() {
		return this.payments.findAll();
	}

	@GetMapping("/{id}")
	ResponseEntity<Payment> get(@PathVariable String id) {
		return ResponseEntity.of(this.payments.find(id));
	}

}
