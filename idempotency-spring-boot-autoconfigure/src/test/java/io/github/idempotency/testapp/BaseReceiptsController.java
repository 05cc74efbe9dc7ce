package io.github.idempotency.testapp;

import io.github.idempotency.Idempotent;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * A superclass that declares the mapping and {@code @Idempotent}; the subclass overrides
 * the method without repeating them.
 */
abstract class BaseReceiptsController {

	@PostMapping("/receipts")
	@Idempotent
	abstract ResponseEntity<String> create(@RequestBody String body);

}
