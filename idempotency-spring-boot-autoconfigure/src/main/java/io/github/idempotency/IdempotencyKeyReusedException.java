package io.github.idempotency;

/**
 * An {@link Idempotent @Idempotent} method was called with a key that belongs to a call
 * with another fingerprint ({@link Idempotent#fingerprint()}): the key was reused for a
 * different call. Nothing ran. The counterpart of the HTTP {@code 422 key-reused}
 * problem.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

	private final String scope;

	/**
	 * Creates an exception.
	 * @param endpoint the method, as {@code Type#method}
	 * @param scope the scope of the key
	 */
	public IdempotencyKeyReusedException(String endpoint, String scope) {
		super("The key of this call of " + endpoint + " was already used for a call with another fingerprint (scope "
				+ scope + "); nothing ran");
		this.scope = scope;
	}

	/**
	 * @return the scope of the key
	 */
	public String getScope() {
		return this.scope;
	}

}
