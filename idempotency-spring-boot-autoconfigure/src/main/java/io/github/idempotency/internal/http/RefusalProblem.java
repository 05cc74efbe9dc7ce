package io.github.idempotency.internal.http;

import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.internal.claim.ClaimSequence.Decision;

/**
 * The problem a web door answers for a decision that neither runs the call nor replays it, and
 * how long the client is asked to wait before retrying.
 *
 * @param problem the problem
 * @param retryAfterSeconds the {@code Retry-After} seconds, 0 for none
 */
public record RefusalProblem(IdempotencyProblem problem, long retryAfterSeconds) {

	/** Seconds a client is asked to wait before retrying a request still in flight. */
	public static final long IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

	/** Seconds a client is asked to wait before retrying when the store is unavailable. */
	public static final long STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

	/**
	 * The problem of a refusing decision.
	 * @param decision a decision that neither runs nor replays
	 * @return its problem
	 * @throws IllegalArgumentException for a decision that runs or replays
	 */
	public static RefusalProblem of(Decision decision) {
		if (decision instanceof Decision.InProgress) {
			return new RefusalProblem(IdempotencyProblem.REQUEST_IN_PROGRESS, IN_PROGRESS_RETRY_AFTER_SECONDS);
		}
		if (decision instanceof Decision.KeyReused) {
			return new RefusalProblem(IdempotencyProblem.KEY_REUSED, 0);
		}
		if (decision instanceof Decision.ResponseLost) {
			return new RefusalProblem(IdempotencyProblem.RESPONSE_LOST, 0);
		}
		if (decision instanceof Decision.Unreadable) {
			return new RefusalProblem(IdempotencyProblem.RECORD_UNREADABLE, 0);
		}
		if (decision instanceof Decision.StoreUnavailable) {
			return new RefusalProblem(IdempotencyProblem.STORE_UNAVAILABLE, STORE_UNAVAILABLE_RETRY_AFTER_SECONDS);
		}
		throw new IllegalArgumentException("No problem for " + decision);
	}

}
