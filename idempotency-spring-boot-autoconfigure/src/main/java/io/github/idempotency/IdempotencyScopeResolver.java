package io.github.idempotency;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Names the caller an idempotency key belongs to. Keys of different scopes never meet:
 * the same key sent by two callers refers to two records, so no caller can receive
 * another caller's stored response.
 */
@FunctionalInterface
public interface IdempotencyScopeResolver {

	/** The scope of requests that belong to no particular caller. */
	String GLOBAL = "";

	/**
	 * Resolves the scope of the current request.
	 * @param request the request
	 * @return the caller's scope, or {@link #GLOBAL}
	 */
	String resolveScope(HttpServletRequest request);

}
