package io.github.idempotency.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.Assert;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.ModelAndView;

/**
 * Tells the request's exchange which handler Spring MVC chose: a request mapped to an
 * {@code @Idempotent} method has its response buffered from here on, before the handler writes.
 * When the starter answers such a request itself, the view the handler would render is dropped.
 */
public final class IdempotencyHandlerInterceptor implements HandlerInterceptor {

	private final IdempotentMethods methods;

	/**
	 * Creates the interceptor.
	 * @param methods the settings of every idempotent method
	 */
	public IdempotencyHandlerInterceptor(IdempotentMethods methods) {
		Assert.notNull(methods, "methods must not be null");
		this.methods = methods;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod handlerMethod) {
			IdempotentMethod settings = this.methods.find(handlerMethod.getMethod());
			if (settings != null) {
				IdempotencyExchange exchange = IdempotencyExchange.of(request);
				if (exchange == null) {
					throw new IllegalStateException("@Idempotent method " + settings.endpoint()
							+ " was called without the IdempotencyFilter; register it for every request");
				}
				exchange.mappedTo(handlerMethod.getMethod(), settings);
			}
		}
		return true;
	}

	@Override
	public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
			ModelAndView modelAndView) {
		IdempotencyExchange exchange = (modelAndView != null) ? IdempotencyExchange.of(request) : null;
		if (exchange != null && exchange.reply() != null) {
			modelAndView.clear();
		}
	}

}
