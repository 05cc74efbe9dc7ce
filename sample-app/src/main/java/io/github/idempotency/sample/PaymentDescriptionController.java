package io.github.idempotency.sample;

import io.github.idempotency.Idempotent;
import jakarta.validation.Valid;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A conditional update: {@code PUT /payments/{id}/description} changes a payment's
 * description only with the {@code If-Match} of the version it replaces (412 when another
 * change came first, 428 without it). An {@code Idempotency-Key} makes the retry of a
 * change that succeeded get that change back instead of a 412, since the version has
 * moved on; without a key the request runs as a plain conditional update.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@RequestMapping("/payments/{id}/description")
class PaymentDescriptionController {

	private final PaymentDescriptions descriptions;

	PaymentDescriptionController(PaymentDescriptions descriptions) {
		this.descriptions = descriptions;
	}

	@GetMapping
	ResponseEntity<?> read(@PathVariable String id) {
		return this.descriptions.find(id)
			.<ResponseEntity<?>>map(
					(description) -> ResponseEntity.ok().eTag(description.entityTag()).body(description))
			.orElseGet(() -> problem(HttpStatus.NOT_FOUND, "No payment " + id));
	}

	// tag::conditional-update[]
	@PutMapping
	@Idempotent(required = false) // with a key, a retry gets the first answer back
	ResponseEntity<?> replace(@PathVariable String id,
			@RequestHeader(name = "If-Match", required = false) String ifMatch,
			@Valid @RequestBody DescriptionRequest request) {
		PaymentDescription current = this.descriptions.find(id).orElse(null);
		if (current == null) {
			return problem(HttpStatus.NOT_FOUND, "No payment " + id);
		}
		if (ifMatch == null) {
			return problem(HttpStatus.PRECONDITION_REQUIRED, "Send If-Match with the ETag you read");
		}
		if (!ifMatch.equals(current.entityTag())) {
			return problem(HttpStatus.PRECONDITION_FAILED, "The description changed; read it again");
		}
		return this.descriptions.replace(current, request.text())
			.<ResponseEntity<?>>map((changed) -> ResponseEntity.ok().eTag(changed.entityTag()).body(changed))
			.orElseGet(() -> problem(HttpStatus.PRECONDITION_FAILED, "The description changed; read it again"));
	}
	// end::conditional-update[]

	private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
		return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
	}

}
