package io.github.idempotency.internal.servlet;

import java.security.Principal;

import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.internal.claim.StorageKeys;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Scopes keys to the request's authenticated principal
 * ({@link HttpServletRequest#getUserPrincipal()}), or to the global scope for anonymous
 * requests.
 */
public final class ServletPrincipalScopeResolver implements IdempotencyScopeResolver {

	@Override
	public String resolveScope(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return (principal != null && principal.getName() != null) ? StorageKeys.callerScope(principal.getName())
				: GLOBAL;
	}

}
