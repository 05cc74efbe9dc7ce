package io.github.idempotency.internal.reactive;

import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.ReactiveIdempotencyScopeResolver;
import io.github.idempotency.internal.claim.StorageKeys;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Scopes keys to the exchange's authenticated principal
 * ({@link ServerWebExchange#getPrincipal()}), or to the global scope for anonymous
 * requests.
 */
public final class ReactivePrincipalScopeResolver implements ReactiveIdempotencyScopeResolver {

	@Override
	public Mono<String> resolveScope(ServerWebExchange exchange) {
		return exchange.getPrincipal()
			.map((principal) -> (principal.getName() != null) ? StorageKeys.callerScope(principal.getName())
					: IdempotencyScopeResolver.GLOBAL)
			.defaultIfEmpty(IdempotencyScopeResolver.GLOBAL);
	}

}
