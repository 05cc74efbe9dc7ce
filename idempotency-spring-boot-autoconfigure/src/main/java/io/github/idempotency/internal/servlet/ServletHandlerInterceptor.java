package io.github.idempotency.internal.servlet;

import java.io.IOException;

import io.github.idempotency.internal.http.IdempotentHandler;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Decides a request as soon as Spring MVC has mapped it to an {@code @Idempotent} handler
 * method, before the method's arguments are bound: its response is buffered from here on,
 * and {@link ServletDecider} claims its key or answers it. A replay, or any other answer
 * of the starter, costs no binding, validation or view. A request is decided once: a
 * handler it is forwarded to within the same request runs under the first handler's
 * claim, which is settled as soon as that handler has answered.
 */
public final class ServletHandlerInterceptor implements HandlerInterceptor {

	private final ServletIdempotentHandlers methods;

	private final ServletDecider decider;

	private final ServletSettler settler;

	/**
	 * Creates the interceptor.
	 * @param methods the settings of every idempotent method
	 * @param decider decides what happens to each request
	 * @param settler settles a forwarded request as soon as the handler it was forwarded
	 * to has answered
	 */
	public ServletHandlerInterceptor(ServletIdempotentHandlers methods, ServletDecider decider,
			ServletSettler settler) {
		Assert.notNull(methods, "methods must not be null");
		Assert.notNull(decider, "decider must not be null");
		Assert.notNull(settler, "settler must not be null");
		this.methods = methods;
		this.decider = decider;
		this.settler = settler;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod handlerMethod) {
			IdempotentHandler settings = this.methods.find(handlerMethod.getMethod());
			if (settings != null) {
				ServletExchange exchange = ServletExchange.of(request);
				if (exchange == null) {
					throw new IllegalStateException("@Idempotent method " + settings.endpoint()
							+ " was called without the ServletSettlingFilter; register it for every request");
				}
				if (exchange.isDecided()) {
					return true;
				}
				return this.decider.decide(exchange, handlerMethod.getMethod(), settings, request);
			}
		}
		return true;
	}

	@Override
	public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
			@Nullable Exception ex) throws IOException {
		if (request.getDispatcherType() == DispatcherType.FORWARD) {
			ServletExchange exchange = ServletExchange.of(request);
			if (exchange != null) {
				this.settler.settleForwarded(exchange);
			}
		}
	}

}
