package io.github.idempotency;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * An {@link Idempotent @Idempotent} method was called with a key whose first call is
 * still running, on this instance or another. Nothing ran; call again later with the same
 * key to get the first call's result. A message listener container that redelivers on an
 * exception does exactly that.
 */
public class IdempotencyInProgressException extends RuntimeException {

	private final String scope;

	private final Duration expiresIn;

	/**
	 * Creates an exception.
	 * @param endpoint the method, as {@code Type#method}
	 * @param scope the scope of the key
	 * @param expiresIn at most how long until the first call's claim expires and the key
	 * can run again should that call never finish
	 */
	public IdempotencyInProgressException(String endpoint, String scope, Duration expiresIn) {
		super("A call of " + endpoint + " with this key is still in progress (scope " + scope
				+ "); its claim expires within " + expiresIn.toMillis() + " ms unless it finishes first");
		this.scope = scope;
		this.expiresIn = expiresIn;
	}

	/**
	 * Finds the in-progress exception among the causes of a failure, as listener
	 * containers wrap what listeners throw.
	 * @param failure the failure
	 * @return the in-progress exception, or {@code null} when the failure has another
	 * cause
	 */
	public static @Nullable IdempotencyInProgressException findIn(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof IdempotencyInProgressException inProgress) {
				return inProgress;
			}
		}
		return null;
	}

	/**
	 * @return the scope of the key
	 */
	public String getScope() {
		return this.scope;
	}

	/**
	 * @return at most how long until the first call's claim expires
	 */
	public Duration getExpiresIn() {
		return this.expiresIn;
	}

}
