package io.github.idempotency.testapp;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets a test count executions in an application running in another JVM.
 */
@RestController
class ExecutionsController {

	private final Executions executions;

	ExecutionsController(Executions executions) {
		this.executions = executions;
	}

	@GetMapping("/executions/{endpoint}")
	int count(@PathVariable String endpoint) {
		return this.executions.count(endpoint);
	}

}
