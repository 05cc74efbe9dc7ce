package io.github.idempotency;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What {@link IdempotencyStore#claim} found: the key was claimed for this request,
 * another request still holds it, a finished response is stored under it, or a request
 * took effect without a stored response.
 */
public sealed interface ClaimResult {

	/**
	 * A {@link Claimed} result. Callers compare results by type
	 * ({@code instanceof Claimed}), so a store may as well return its own instance.
	 */
	ClaimResult CLAIMED = new Claimed();

	/**
	 * The key was free and now belongs to the caller.
	 */
	record Claimed() implements ClaimResult {
	}

	/**
	 * Another request holds the key and has not finished.
	 *
	 * @param fingerprint the fingerprint of that request
	 * @param expiresIn how long until its claim expires unless it finishes, or
	 * {@code null} when the store cannot tell
	 */
	record InFlight(String fingerprint, @Nullable Duration expiresIn) implements ClaimResult {

		/**
		 * Another request holds the key; the store cannot tell for how long.
		 * @param fingerprint the fingerprint of that request
		 */
		public InFlight(String fingerprint) {
			this(fingerprint, null);
		}

	}

	/**
	 * A request with this key took effect and its claim has expired, but its response was
	 * never stored: the store recorded the execution in the transaction that committed
	 * the request's side effects, and the instance ended before it stored the response.
	 * Only stores that record executions ({@link IdempotencyStore#executing}) return it.
	 * Nothing may run again under this key until the record expires.
	 *
	 * @param fingerprint the fingerprint of that request
	 */
	record Executed(String fingerprint) implements ClaimResult {
	}

	/**
	 * A request with this key has finished.
	 *
	 * @param fingerprint the fingerprint of that request
	 * @param response its stored response
	 */
	record Completed(String fingerprint, StoredResponse response) implements ClaimResult {
	}

}
