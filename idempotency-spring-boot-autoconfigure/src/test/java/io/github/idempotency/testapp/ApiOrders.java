package io.github.idempotency.testapp;

import io.github.idempotency.Idempotent;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * An API-first contract: the mapping and {@code @Idempotent} live on the interface, the
 * controllers only implement it.
 */
public interface ApiOrders {

	@PostMapping("/api/orders")
	@Idempotent
	ResponseEntity<String> create(@RequestBody String body);

	@PostMapping("/api/audited-orders")
	@Idempotent
	ResponseEntity<String> createAudited(@RequestBody String body);

}
