package io.github.idempotency.internal.security;

import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.ReactiveIdempotencyScopeResolver;
import reactor.core.publisher.Mono;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * Scopes keys to the user Spring Security has authenticated in the reactive security
 * context, or to the global scope for anonymous requests: the same scopes as
 * {@link SecurityContextScopeResolver} gives in a Spring MVC application.
 */
public final class ReactiveSecurityContextScopeResolver implements ReactiveIdempotencyScopeResolver {

	@Override
	public Mono<String> resolveScope(ServerWebExchange exchange) {
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.map(SecurityContextScopeResolver::scopeOf)
			.defaultIfEmpty(IdempotencyScopeResolver.GLOBAL);
	}

}
