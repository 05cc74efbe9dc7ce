package io.github.idempotency.internal.reactive;

import java.util.List;
import java.util.Map;

import io.github.idempotency.internal.claim.Claim;
import io.github.idempotency.internal.http.IdempotentHandler;
import io.micrometer.observation.Observation;

/**
 * A key one request claimed, held by its {@link ReactiveSettlingResponse} until the
 * response is final. Whether the handler method was called is recorded by
 * {@link ReactiveHandlerAdvice}: a request that never reached its method (an unreadable
 * or invalid body) gives its key back unstored.
 */
final class ReactiveClaim {

	private final Claim claim;

	private final IdempotentHandler method;

	private final Map<String, List<String>> headersBefore;

	private final Observation observation;

	private volatile boolean reached;

	ReactiveClaim(Claim claim, IdempotentHandler method, Map<String, List<String>> headersBefore,
			Observation observation) {
		this.claim = claim;
		this.method = method;
		this.headersBefore = headersBefore;
		this.observation = observation;
	}

	Claim claim() {
		return this.claim;
	}

	IdempotentHandler method() {
		return this.method;
	}

	Map<String, List<String>> headersBefore() {
		return this.headersBefore;
	}

	Observation observation() {
		return this.observation;
	}

	/** Records that the handler method is being called with the request's arguments. */
	void reach() {
		this.reached = true;
	}

	boolean isReached() {
		return this.reached;
	}

}
