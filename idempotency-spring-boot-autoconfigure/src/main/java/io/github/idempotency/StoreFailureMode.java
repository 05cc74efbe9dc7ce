package io.github.idempotency;

/**
 * What happens to a request when the store fails or does not answer in time.
 */
public enum StoreFailureMode {

	/** Refuse the request with 503 and {@code Retry-After}; the method does not run. */
	FAIL_CLOSED,

	/** Run the method without idempotency, log a warning and count it. */
	FAIL_OPEN

}
