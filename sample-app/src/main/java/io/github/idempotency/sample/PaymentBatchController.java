package io.github.idempotency.sample;

import java.util.List;

import io.github.idempotency.Idempotent;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Creates several payments in one idempotent request; its larger JSON response (about 70
 * bytes per payment) is what the benchmark's memory mode stores as a 4 KB record.
 */
@RestController
class PaymentBatchController {

	private final PaymentService payments;

	PaymentBatchController(PaymentService payments) {
		this.payments = payments;
	}

	@PostMapping("/payment-batches")
	@Idempotent
	ResponseEntity<PaymentBatch> create(@Valid @RequestBody PaymentBatchRequest request) {
		List<Payment> created = request.amounts()
			.stream()
			.map((amount) -> this.payments.create(new PaymentRequest(amount, request.currency())))
			.toList();
		return ResponseEntity.status(HttpStatus.CREATED).body(new PaymentBatch(created));
	}

	/**
	 * The created payments.
	 *
	 * @param payments one per requested amount, in order
	 */
	record PaymentBatch(List<Payment> payments) {
	}

}
