package io.github.idempotency.internal.reactive;

import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.internal.http.RefusalProblem;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers the starter's own exceptions with its problems when they escape a WebFlux
 * handler — one that called an {@code @Idempotent(key = ...)} service method whose key
 * was in flight or reused, or whose store failed — instead of a 500: 409
 * {@code request-in-progress} with {@code Retry-After}, 422 {@code key-reused}, 409
 * {@code record-unreadable}, 409 {@code claim-lost}, 410 {@code response-lost} and 503
 * {@code store-unavailable}. It runs before Spring Boot's error handler and after the
 * application's {@code @ExceptionHandler} methods, which therefore win.
 */
public final class ReactiveExceptionHandler implements WebExceptionHandler, Ordered {

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		RefusalProblem refusal = RefusalProblem.ofEscaped(ex);
		if (refusal == null || exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		IdempotencyProblem problem = refusal.problem();
		exchange.getResponse().getHeaders().clear();
		return ReactiveResponseWriter.writeProblem(exchange.getResponse(), problem, problem.detail("idempotency key"),
				exchange.getRequest().getPath().value(), refusal.retryAfterSeconds());
	}

	/**
	 * Before Spring Boot's {@code ErrorWebExceptionHandler} (order -1), which would
	 * answer 500.
	 */
	@Override
	public int getOrder() {
		return -2;
	}

}
