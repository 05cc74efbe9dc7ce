package io.github.idempotency;

/**
 * A call ran, but its claim expired and another request with the same key took it over
 * while it ran (no renewal reached the store within the lock timeout), so the store
 * refused to mark the call executed and its transaction was rolled back: nothing of this
 * call took effect, and the other request's result stands. Thrown by the JDBC store from
 * the commit of the call's transaction. A retry with the same key receives the other
 * request's result. The counterpart of the HTTP {@code 409 claim-lost} problem.
 */
public class IdempotencyClaimLostException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what happened, naming the storage key
	 */
	public IdempotencyClaimLostException(String message) {
		super(message);
	}

}
