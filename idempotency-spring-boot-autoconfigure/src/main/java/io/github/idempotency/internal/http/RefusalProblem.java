package io.github.idempotency.internal.http;

import io.github.idempotency.IdempotencyClaimLostException;
import io.github.idempotency.IdempotencyInProgressException;
import io.github.idempotency.IdempotencyKeyReusedException;
import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyResponseLostException;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.internal.claim.Decision;
import org.jspecify.annotations.Nullable;

/**
 * The problem a web door answers for a refused request, and how long the client is asked
 * to wait before retrying.
 *
 * @param problem the problem
 * @param retryAfterSeconds the {@code Retry-After} seconds, 0 for none
 */
public record RefusalProblem(IdempotencyProblem problem, long retryAfterSeconds) {

	/** Seconds a client is asked to wait before retrying a request still in flight. */
	public static final long IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

	/**
	 * Seconds a client is asked to wait before retrying when the store is unavailable.
	 */
	public static final long STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

	/**
	 * The problem of a refusal.
	 * @param refusal why a request does not run
	 * @return its problem
	 */
	public static RefusalProblem of(Decision.Refused refusal) {
		return switch (refusal.reason()) {
			case IN_PROGRESS ->
				new RefusalProblem(IdempotencyProblem.REQUEST_IN_PROGRESS, IN_PROGRESS_RETRY_AFTER_SECONDS);
			case KEY_REUSED -> new RefusalProblem(IdempotencyProblem.KEY_REUSED, 0);
			case RESPONSE_LOST -> new RefusalProblem(IdempotencyProblem.RESPONSE_LOST, 0);
			case RECORD_UNREADABLE -> new RefusalProblem(IdempotencyProblem.RECORD_UNREADABLE, 0);
			case STORE_UNAVAILABLE ->
				new RefusalProblem(IdempotencyProblem.STORE_UNAVAILABLE, STORE_UNAVAILABLE_RETRY_AFTER_SECONDS);
		};
	}

	/**
	 * The problem that answers one of the starter's exceptions escaping a handler (one
	 * that called an {@code @Idempotent(key = ...)} service method), instead of a 500.
	 * @param ex what the handler threw
	 * @return its problem, or {@code null} when it is none of the starter's exceptions
	 */
	public static @Nullable RefusalProblem ofEscaped(Throwable ex) {
		if (ex instanceof IdempotencyInProgressException) {
			return new RefusalProblem(IdempotencyProblem.REQUEST_IN_PROGRESS, IN_PROGRESS_RETRY_AFTER_SECONDS);
		}
		if (ex instanceof IdempotencyKeyReusedException) {
			return new RefusalProblem(IdempotencyProblem.KEY_REUSED, 0);
		}
		if (ex instanceof IdempotencyClaimLostException) {
			return new RefusalProblem(IdempotencyProblem.CLAIM_LOST, IN_PROGRESS_RETRY_AFTER_SECONDS);
		}
		if (ex instanceof IdempotencyResponseLostException) {
			return new RefusalProblem(IdempotencyProblem.RESPONSE_LOST, 0);
		}
		if (ex instanceof IdempotencyRecordException) {
			return new RefusalProblem(IdempotencyProblem.RECORD_UNREADABLE, 0);
		}
		if (ex instanceof IdempotencyStoreException) {
			return new RefusalProblem(IdempotencyProblem.STORE_UNAVAILABLE, STORE_UNAVAILABLE_RETRY_AFTER_SECONDS);
		}
		return null;
	}

}
