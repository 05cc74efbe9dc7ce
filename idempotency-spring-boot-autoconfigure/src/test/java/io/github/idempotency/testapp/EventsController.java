package io.github.idempotency.testapp;

import io.github.idempotency.IdempotencyInProgressException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Delivers an event to an idempotent service method, as a message listener would: a plain
 * controller method (no {@code @Idempotent} of its own) calling the service through its
 * proxy.
 */
@RestController
class EventsController {

	private final EventReceipts receipts;

	EventsController(EventReceipts receipts) {
		this.receipts = receipts;
	}

	@PostMapping("/events/{paymentId}")
	ResponseEntity<String> deliver(@PathVariable String paymentId) throws InterruptedException {
		try {
			return ResponseEntity.ok(this.receipts.receipt(paymentId));
		}
		catch (IdempotencyInProgressException ex) {
			return ResponseEntity.status(HttpStatus.CONFLICT).body("in progress");
		}
	}

	/** Lets the starter's exceptions escape, as most controllers do. */
	@PostMapping("/charges/{paymentId}")
	String charge(@PathVariable String paymentId, @RequestParam long amount) throws InterruptedException {
		return this.receipts.charge(paymentId, amount);
	}

}
