package io.github.idempotency;

/**
 * Decides which finished responses are stored and replayed. A response that is not stored
 * releases its key, so a retry runs the method again.
 */
@FunctionalInterface
public interface ResponseStoragePolicy {

	/**
	 * Whether a response with this status is stored.
	 * @param status the HTTP status code
	 * @return {@code true} to store and replay it
	 */
	boolean isStorable(int status);

}
