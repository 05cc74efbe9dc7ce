package io.github.idempotency.internal.reactive;

import java.util.function.Supplier;

import io.github.idempotency.internal.http.IdempotentHandler;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.DispatchExceptionHandler;
import org.springframework.web.reactive.HandlerAdapter;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerAdapter;
import org.springframework.web.server.ServerWebExchange;

/**
 * Decides a request as soon as WebFlux has mapped it to an {@code @Idempotent} handler
 * method, before the method's arguments are resolved, then hands it to WebFlux's own
 * {@link RequestMappingHandlerAdapter}: ordered first among the handler adapters, it
 * supports exactly the idempotent handler methods. A replay, or any other answer of the
 * starter, costs no binding or validation; a request that goes on reads its body from
 * what was read ahead.
 */
public final class ReactiveHandlerAdapter implements HandlerAdapter, DispatchExceptionHandler, Ordered {

	private final ReactiveIdempotentHandlers methods;

	private final ReactiveDecider decider;

	private final Supplier<RequestMappingHandlerAdapter> delegate;

	private final ReactiveHandlerAdvice reach;

	/**
	 * Creates the adapter.
	 * @param methods the settings of every idempotent method
	 * @param decider decides what happens to each request
	 * @param delegate WebFlux's adapter, which resolves the arguments and calls the
	 * method
	 * @param reach tells whether WebFlux called the method
	 */
	public ReactiveHandlerAdapter(ReactiveIdempotentHandlers methods, ReactiveDecider decider,
			ObjectProvider<RequestMappingHandlerAdapter> delegate, ReactiveHandlerAdvice reach) {
		Assert.notNull(methods, "methods must not be null");
		Assert.notNull(decider, "decider must not be null");
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(reach, "reach must not be null");
		this.methods = methods;
		this.decider = decider;
		// resolved once: looking the bean up costs every request microseconds
		this.delegate = SingletonSupplier.of(delegate::getObject);
		this.reach = reach;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public boolean supports(Object handler) {
		return handler instanceof HandlerMethod handlerMethod && this.methods.find(handlerMethod.getMethod()) != null;
	}

	@Override
	public Mono<HandlerResult> handle(ServerWebExchange exchange, Object handler) {
		HandlerMethod handlerMethod = (HandlerMethod) handler;
		IdempotentHandler settings = this.methods.find(handlerMethod.getMethod());
		RequestMappingHandlerAdapter adapter = this.delegate.get();
		if (settings == null) {
			return adapter.handle(exchange, handler);
		}
		ReactiveSettlingResponse response = ReactiveSettlingResponse.of(exchange.getResponse());
		if (response == null) {
			return Mono.error(new IllegalStateException("@Idempotent method " + settings.endpoint()
					+ " was called without the idempotency HttpHandler decorator; keep the bean "
					+ "idempotencyHttpHandlerDecorator, or build the HttpHandler with WebHttpHandlerBuilder.applicationContext"));
		}
		if (!response.decide()) {
			return adapter.handle(exchange, handler);
		}
		return this.decider.decide(exchange, settings, response, response.calls()).flatMap((decided) -> {
			ReactiveClaim claimed = response.held();
			Mono<HandlerResult> handling = adapter.handle(decided, handler);
			return (claimed != null) ? this.reach.tracking(handling, handlerMethod.getMethod(), claimed) : handling;
		});
	}

	@Override
	public Mono<HandlerResult> handleError(ServerWebExchange exchange, Throwable ex) {
		return this.delegate.get().handleError(exchange, ex);
	}

}
