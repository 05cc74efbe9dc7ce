package io.github.idempotency.testapp;

import io.github.idempotency.Idempotent;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Idempotent methods that answer with an error by throwing, each resolved by another
 * Spring MVC mechanism.
 */
@RestController
class ExceptionsController {

	private final Executions executions;

	ExceptionsController(Executions executions) {
		this.executions = executions;
	}

	@PostMapping("/errors/exception-handler")
	@Idempotent
	String exceptionHandler() {
		throw new OrderMissingException(this.executions.record("exception-handler"));
	}

	@PostMapping("/errors/response-status")
	@Idempotent
	String responseStatus() {
		this.executions.record("response-status");
		throw new OrderGoneException();
	}

	@PostMapping("/errors/error-response")
	@Idempotent
	String errorResponse() {
		int number = this.executions.record("error-response");
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, "rejected " + number);
		throw new ErrorResponseException(HttpStatus.UNPROCESSABLE_ENTITY, problem, null);
	}

	@PostMapping("/errors/problem-conflict")
	@Idempotent
	String problemConflict() {
		throw new OrderConflictException(this.executions.record("problem-conflict"));
	}

	@ExceptionHandler
	ResponseEntity<String> orderMissing(OrderMissingException ex) {
		return ResponseEntity.status(HttpStatus.NOT_FOUND).header("X-Handled", "yes").body("missing " + ex.number);
	}

	@ExceptionHandler
	ProblemDetail orderConflict(OrderConflictException ex) {
		return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "conflict " + ex.number);
	}

	static final class OrderMissingException extends RuntimeException {

		final int number;

		OrderMissingException(int number) {
			super("order missing", null, false, false);
			this.number = number;
		}

	}

	static final class OrderConflictException extends RuntimeException {

		final int number;

		OrderConflictException(int number) {
			super("order conflict", null, false, false);
			this.number = number;
		}

	}

	@ResponseStatus(code = HttpStatus.NOT_FOUND, reason = "order gone")
	static final class OrderGoneException extends RuntimeException {

		OrderGoneException() {
			super("order gone", null, false, false);
		}

	}

}
