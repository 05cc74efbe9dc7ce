package io.github.idempotency.internal.servlet;

import java.io.IOException;

import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.internal.http.RefusalProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;

/**
 * Answers the starter's own exceptions with its problems when they escape a controller —
 * a handler that called an {@code @Idempotent(key = ...)} service method whose key was in
 * flight or reused, or whose store failed — instead of a 500: 409
 * {@code request-in-progress} with {@code Retry-After}, 422 {@code key-reused}, 409
 * {@code record-unreadable}, 409 {@code claim-lost} (a call whose claim was taken over
 * while it ran, its transaction rolled back) and 503 {@code store-unavailable}. It runs
 * after Spring MVC's own resolvers, so an {@code @ExceptionHandler} of the application
 * for these exceptions wins.
 */
public final class ServletExceptionResolver implements HandlerExceptionResolver, Ordered {

	private static final Log logger = LogFactory.getLog(ServletExceptionResolver.class);

	@Override
	public @Nullable ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response,
			@Nullable Object handler, Exception ex) {
		RefusalProblem refusal = RefusalProblem.ofEscaped(ex);
		if (refusal == null || response.isCommitted()) {
			return null;
		}
		try {
			response.reset();
			IdempotencyProblem problem = refusal.problem();
			ServletResponseWriter.writeProblem(response, problem, problem.detail("idempotency key"),
					request.getRequestURI(), refusal.retryAfterSeconds());
			return new ModelAndView();
		}
		catch (IOException | IllegalStateException writeFailure) {
			logger.debug("Could not answer " + ex.getClass().getSimpleName() + " with a problem", writeFailure);
			return null;
		}
	}

	/**
	 * After Spring MVC's resolvers (order 0), which run the application's exception
	 * handlers.
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
