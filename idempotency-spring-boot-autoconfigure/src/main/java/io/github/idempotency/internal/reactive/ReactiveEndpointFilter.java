package io.github.idempotency.internal.reactive;

import java.time.Duration;

import io.github.idempotency.internal.aop.IdempotentDurations;
import io.github.idempotency.internal.http.IdempotentHandler;
import io.github.idempotency.webflux.IdempotencyHandlerFilterFunction;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * The filter of one functional endpoint: decides each request as the door's handler
 * adapter decides a request to an {@code @Idempotent} handler method, and marks the claim
 * reached when it hands the request to the handler function.
 */
final class ReactiveEndpointFilter implements IdempotencyHandlerFilterFunction {

	private final ReactiveDecider decider;

	private final IdempotentHandler settings;

	ReactiveEndpointFilter(ReactiveDecider decider, IdempotentHandler settings) {
		this.decider = decider;
		this.settings = settings;
	}

	@Override
	public IdempotencyHandlerFilterFunction ttl(Duration ttl) {
		Assert.isTrue(ttl != null && ttl.toMillis() > 0, "ttl must be at least 1 ms");
		IdempotentDurations durations = this.settings.durations();
		return with(this.settings
			.with(new IdempotentDurations(ttl, durations.lockTimeout(), durations.waitForInProgress())));
	}

	@Override
	public IdempotencyHandlerFilterFunction lockTimeout(Duration lockTimeout) {
		Assert.isTrue(lockTimeout != null && lockTimeout.toMillis() > 0, "lockTimeout must be at least 1 ms");
		IdempotentDurations durations = this.settings.durations();
		return with(this.settings
			.with(new IdempotentDurations(durations.ttl(), lockTimeout, durations.waitForInProgress())));
	}

	@Override
	public IdempotencyHandlerFilterFunction waitForInProgress(Duration wait) {
		Assert.isTrue(wait != null && !wait.isNegative(), "wait must not be negative");
		IdempotentDurations durations = this.settings.durations();
		return with(this.settings.with(new IdempotentDurations(durations.ttl(), durations.lockTimeout(), wait)));
	}

	@Override
	public IdempotencyHandlerFilterFunction keyOptional() {
		return with(this.settings.keyOptional());
	}

	private IdempotencyHandlerFilterFunction with(IdempotentHandler settings) {
		return new ReactiveEndpointFilter(this.decider, settings);
	}

	@Override
	public Mono<ServerResponse> filter(ServerRequest request, HandlerFunction<ServerResponse> next) {
		ServerWebExchange exchange = request.exchange();
		ReactiveSettlingResponse response = ReactiveSettlingResponse.of(exchange.getResponse());
		if (response == null) {
			return Mono.error(new IllegalStateException("Idempotent endpoint " + this.settings.endpoint()
					+ " was called without the idempotency HttpHandler decorator; keep the bean "
					+ "idempotencyHttpHandlerDecorator"));
		}
		if (!response.decide()) {
			return next.handle(request);
		}
		return this.decider.decide(exchange, this.settings, response, response.calls()).flatMap((decided) -> {
			ReactiveClaim claimed = response.held();
			if (claimed != null) {
				claimed.reach();
			}
			return next
				.handle((decided != exchange) ? ServerRequest.create(decided, request.messageReaders()) : request);
		});
	}

}
