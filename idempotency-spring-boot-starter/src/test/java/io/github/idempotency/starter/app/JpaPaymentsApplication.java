package io.github.idempotency.starter.app;

import java.net.URI;

import io.github.idempotency.Idempotent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A service whose truth lives in its database, as a user writes it: Spring Data JPA, and
 * the JDBC store keeping the idempotency records in the same database.
 */
@SpringBootApplication
public class JpaPaymentsApplication {

	public static void main(String[] args) {
		SpringApplication.run(JpaPaymentsApplication.class, args);
	}

	public record PaymentRequest(int amount) {
	}

	@RestController
	static class PaymentsController {

		private final Payments payments;

		PaymentsController(Payments payments) {
			this.payments = payments;
		}

		@PostMapping("/payments")
		@Idempotent
		@Transactional
		ResponseEntity<Payment> create(@RequestBody PaymentRequest request) {
			Payment payment = this.payments.save(new Payment(request.amount()));
			return ResponseEntity.created(URI.create("/payments/" + payment.getId())).body(payment);
		}

		@GetMapping("/payments/count")
		long count() {
			return this.payments.count();
		}

	}

}
