package io.github.idempotency.internal.security;

import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.internal.claim.StorageKeys;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Scopes keys to the user Spring Security has authenticated, or to the global scope for
 * anonymous requests.
 */
public final class SecurityContextScopeResolver implements IdempotencyScopeResolver {

	@Override
	public String resolveScope(HttpServletRequest request) {
		return scopeOf(SecurityContextHolder.getContext().getAuthentication());
	}

	/**
	 * The scope of an authentication: its user's, or the global one when it is absent,
	 * anonymous or not authenticated.
	 * @param authentication the authentication, or {@code null}
	 * @return the scope
	 */
	static String scopeOf(@Nullable Authentication authentication) {
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken || authentication.getName() == null) {
			return GLOBAL;
		}
		return StorageKeys.callerScope(authentication.getName());
	}

}
