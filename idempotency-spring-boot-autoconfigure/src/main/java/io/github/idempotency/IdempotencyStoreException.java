package io.github.idempotency;

import org.jspecify.annotations.Nullable;

/**
 * The store could not be reached, failed, or did not answer within the store timeout. The
 * outcome of the operation is unknown to the caller.
 */
public class IdempotencyStoreException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what failed
	 * @param cause the underlying failure, may be {@code null}
	 */
	public IdempotencyStoreException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
