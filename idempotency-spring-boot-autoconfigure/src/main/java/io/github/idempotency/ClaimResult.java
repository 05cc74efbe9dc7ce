package io.github.idempotency;

/**
 * What {@link IdempotencyStore#claim} found: the key was claimed for this request, another
 * request still holds it, or a finished response is stored under it.
 */
public sealed interface ClaimResult {

	/**
	 * A {@link Claimed} result. Callers compare results by type ({@code instanceof Claimed}),
	 * so a store may as well return its own instance.
	 */
	ClaimResult CLAIMED = new Claimed();

	/**
	 * The key was free and now belongs to the caller.
	 */
	record Claimed() implements ClaimResult {
	}

	/**
	 * Another request holds the key and has not finished.
	 * @param fingerprint the fingerprint of that request
	 */
	record InFlight(String fingerprint) implements ClaimResult {
	}

	/**
	 * A request with this key has finished.
	 * @param fingerprint the fingerprint of that request
	 * @param response its stored response
	 */
	record Completed(String fingerprint, StoredResponse response) implements ClaimResult {
	}

}
