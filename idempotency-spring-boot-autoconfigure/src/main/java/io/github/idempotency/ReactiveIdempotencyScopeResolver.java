package io.github.idempotency;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Names the caller an idempotency key belongs to, in a WebFlux application: the reactive
 * counterpart of {@link IdempotencyScopeResolver}, with the same scopes, so a Spring MVC
 * and a WebFlux instance sharing a store agree on every key.
 */
@FunctionalInterface
public interface ReactiveIdempotencyScopeResolver {

	/**
	 * Resolves the scope of a request.
	 * @param exchange the request's exchange
	 * @return the caller's scope, or {@link IdempotencyScopeResolver#GLOBAL}; never empty
	 */
	Mono<String> resolveScope(ServerWebExchange exchange);

}
