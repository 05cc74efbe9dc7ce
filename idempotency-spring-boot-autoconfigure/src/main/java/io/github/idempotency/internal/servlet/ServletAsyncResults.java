package io.github.idempotency.internal.servlet;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.context.request.async.WebAsyncManager;
import org.springframework.web.context.request.async.WebAsyncUtils;

/**
 * Reads what Spring MVC's asynchronous processing left for the dispatch that writes an
 * asynchronous handler's result.
 */
final class ServletAsyncResults {

	private ServletAsyncResults() {
	}

	/**
	 * Whether the request's asynchronous handler did not produce its result in time
	 * ({@code spring.mvc.async.request-timeout}): Spring MVC answers for it, while the
	 * work it started may still be running.
	 * @param request the request, on the dispatch that writes the result
	 * @return whether its result is Spring MVC's timeout
	 */
	static boolean timedOut(HttpServletRequest request) {
		WebAsyncManager manager = WebAsyncUtils.getAsyncManager(request);
		return manager.hasConcurrentResult() && manager.getConcurrentResult() instanceof AsyncRequestTimeoutException;
	}

}
