package io.github.idempotency.testapp;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

/**
 * Inherits its mapping and {@code @Idempotent} from {@link BaseReceiptsController}.
 */
@RestController
class ReceiptsController extends BaseReceiptsController {

	private final Executions executions;

	ReceiptsController(Executions executions) {
		this.executions = executions;
	}

	@Override
	ResponseEntity<String> create(String body) {
		return ResponseEntity.status(HttpStatus.CREATED).body("receipt " + this.executions.record("receipts"));
	}

}
