package io.github.idempotency;

import org.jspecify.annotations.Nullable;

/**
 * The record under an idempotency key exists but cannot be read: it has another type,
 * misses fields, or was written by something else. Requests with that key are not
 * executed.
 */
public class IdempotencyRecordException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what is wrong with the record
	 * @param cause the underlying failure, may be {@code null}
	 */
	public IdempotencyRecordException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
