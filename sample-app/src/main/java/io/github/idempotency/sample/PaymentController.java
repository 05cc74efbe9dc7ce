package io.github.idempotency.sample;

import java.net.URI;
import java.util.List;

import io.github.idempotency.Idempotent;
import jakarta.validation.Valid;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The payments API: creating a payment is idempotent, reading is naturally so.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@RequestMapping("/payments")
class PaymentController {

	private final PaymentService payments;

	PaymentController(PaymentService payments) {
		this.payments = payments;
	}

	@PostMapping
	@Idempotent
	@ResponseStatus(HttpStatus.CREATED) // what the OpenAPI document shows; the ResponseEntity says the same
	ResponseEntity<Payment> create(@Valid @RequestBody PaymentRequest request) {
		Payment payment = this.payments.create(request);
		return ResponseEntity.created(URI.create("/payments/" + payment.id())).body(payment);
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
