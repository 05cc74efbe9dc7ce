package io.github.idempotency.testapp;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/**
 * Implements {@link ApiOrders} without repeating its annotations. {@link Audited} makes a
 * second, unrelated aspect proxy it with CGLIB.
 */
@RestController
@Audited
class ApiOrdersController implements ApiOrders {

	private final Executions executions;

	ApiOrdersController(Executions executions) {
		this.executions = executions;
	}

	@Override
	public ResponseEntity<String> create(String body) {
		return ResponseEntity.status(HttpStatus.CREATED).body("api order " + this.executions.record("api-orders"));
	}

	@Override
	public ResponseEntity<String> createAudited(String body) {
		return ResponseEntity.status(HttpStatus.CREATED)
			.body("audited order " + this.executions.record("audited-orders"));
	}

}
