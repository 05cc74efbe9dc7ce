package io.github.idempotency.internal.reactive;

import java.time.Duration;

import io.github.idempotency.internal.http.IdempotentHandler;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code @Idempotent} for WebFlux functional endpoints: a filter for the routes of one
 * endpoint, with the same rules as annotated handler methods. The body is read ahead (within
 * {@code max-body-size}) and fingerprinted, the key claimed, and the handler function runs
 * with the same body; a replay or problem is answered without calling it. Made by
 * {@link ReactiveFilterFunctions}, immutable:
 * <pre class="code">
 * route().POST("/payments", payments::create)
 *     .filter(idempotency.endpoint("Payments#create").ttl(Duration.ofHours(1)))
 *     .build();
 * </pre>
 */
public final class ReactiveEndpointFilter implements HandlerFilterFunction<ServerResponse, ServerResponse> {

	private final ReactiveDecider decider;

	private final IdempotentHandler settings;

	ReactiveEndpointFilter(ReactiveDecider decider, IdempotentHandler settings) {
		this.decider = decider;
		this.settings = settings;
	}

	/**
	 * The same filter, with another time finished responses are kept.
	 * @param ttl the TTL
	 * @return a new filter
	 */
	public ReactiveEndpointFilter ttl(Duration ttl) {
		Assert.isTrue(ttl != null && ttl.toMillis() > 0, "ttl must be at least 1 ms");
		return with(new IdempotentHandler(this.settings.endpoint(), ttl, this.settings.lockTimeout(),
				this.settings.required(), true));
	}

	/**
	 * The same filter, with another time an unfinished request holds its key.
	 * @param lockTimeout the lock timeout
	 * @return a new filter
	 */
	public ReactiveEndpointFilter lockTimeout(Duration lockTimeout) {
		Assert.isTrue(lockTimeout != null && lockTimeout.toMillis() > 0, "lockTimeout must be at least 1 ms");
		return with(new IdempotentHandler(this.settings.endpoint(), this.settings.ttl(), lockTimeout,
				this.settings.required(), true));
	}

	/**
	 * The same filter, letting requests without a key through unprotected instead of
	 * answering them 400 ({@code @Idempotent(required = false)}).
	 * @return a new filter
	 */
	public ReactiveEndpointFilter keyOptional() {
		return with(new IdempotentHandler(this.settings.endpoint(), this.settings.ttl(), this.settings.lockTimeout(),
				false, true));
	}

	private ReactiveEndpointFilter with(IdempotentHandler settings) {
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
			return next.handle((decided != exchange) ? ServerRequest.create(decided, request.messageReaders()) : request);
		});
	}

}
