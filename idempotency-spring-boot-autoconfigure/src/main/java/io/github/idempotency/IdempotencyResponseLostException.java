package io.github.idempotency;

/**
 * An {@link Idempotent @Idempotent} method was called with a key whose first call took
 * effect (the JDBC store recorded it in the transaction that committed the call's
 * changes) but whose result was never stored, because its instance ended first. Nothing
 * ran, and nothing will run under this key until its record expires. The counterpart of
 * the HTTP {@code 410 response-lost} problem.
 */
public class IdempotencyResponseLostException extends RuntimeException {

	private final String scope;

	/**
	 * Creates an exception.
	 * @param endpoint the method, as {@code Type#method}
	 * @param scope the scope of the key
	 */
	public IdempotencyResponseLostException(String endpoint, String scope) {
		super("The first call of " + endpoint + " with this key took effect, but its result was never stored (scope "
				+ scope + "); nothing ran, and the call will not run again under this key");
		this.scope = scope;
	}

	/**
	 * @return the scope of the key
	 */
	public String getScope() {
		return this.scope;
	}

}
