package io.github.idempotency.internal.servlet;

import java.io.IOException;

import io.github.idempotency.IdempotencyClaimLostException;
import io.github.idempotency.IdempotencyInProgressException;
import io.github.idempotency.IdempotencyKeyReusedException;
import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyResponseLostException;
import io.github.idempotency.IdempotencyStoreException;
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
		IdempotencyProblem problem = problemOf(ex);
		if (problem == null || response.isCommitted()) {
			return null;
		}
		long retryAfter = switch (problem) {
			case REQUEST_IN_PROGRESS, CLAIM_LOST -> RefusalProblem.IN_PROGRESS_RETRY_AFTER_SECONDS;
			case STORE_UNAVAILABLE -> RefusalProblem.STORE_UNAVAILABLE_RETRY_AFTER_SECONDS;
			default -> 0;
		};
		try {
			response.reset();
			ServletResponseWriter.writeProblem(response, problem, problem.detail("idempotency key"),
					request.getRequestURI(), retryAfter);
			return new ModelAndView();
		}
		catch (IOException | IllegalStateException writeFailure) {
			logger.debug("Could not answer " + ex.getClass().getSimpleName() + " with a problem", writeFailure);
			return null;
		}
	}

	private static @Nullable IdempotencyProblem problemOf(Exception ex) {
		if (ex instanceof IdempotencyInProgressException) {
			return IdempotencyProblem.REQUEST_IN_PROGRESS;
		}
		if (ex instanceof IdempotencyKeyReusedException) {
			return IdempotencyProblem.KEY_REUSED;
		}
		if (ex instanceof IdempotencyClaimLostException) {
			return IdempotencyProblem.CLAIM_LOST;
		}
		if (ex instanceof IdempotencyResponseLostException) {
			return IdempotencyProblem.RESPONSE_LOST;
		}
		if (ex instanceof IdempotencyRecordException) {
			return IdempotencyProblem.RECORD_UNREADABLE;
		}
		if (ex instanceof IdempotencyStoreException) {
			return IdempotencyProblem.STORE_UNAVAILABLE;
		}
		return null;
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
