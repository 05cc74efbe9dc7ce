package io.github.idempotency.internal.servlet;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Settles the key of an idempotent request once its response is final, after Spring MVC's
 * exception resolvers (and, when the handler sent an error, after the container's error
 * page). The request and response of a request pass through untouched unless Spring MVC
 * maps it to an {@code @Idempotent} handler; only then is its body read ahead to
 * fingerprint it and its response buffered, so the bytes sent are the bytes stored.
 */
public final class ServletSettlingFilter extends OncePerRequestFilter {

	private final ServletSettler settler;

	private final ServletDecider decider;

	/**
	 * Creates the filter.
	 * @param settler settles keys once responses are final
	 * @param decider decides a request dispatched again after it waited for the request
	 * in flight with its key
	 */
	public ServletSettlingFilter(ServletSettler settler, ServletDecider decider) {
		Assert.notNull(settler, "settler must not be null");
		Assert.notNull(decider, "decider must not be null");
		this.settler = settler;
		this.decider = decider;
	}

	/**
	 * Also runs on the error page dispatch, which renders the response of a handler that
	 * sent an error ({@code @ResponseStatus} exceptions, {@code ErrorResponseException}
	 * without a problem handler).
	 */
	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	/**
	 * Also runs on the dispatch of a request that waited for the request in flight with
	 * its key, and on the dispatch that writes an asynchronous handler's result
	 * ({@code CompletableFuture}, {@code DeferredResult}, {@code Callable}, a
	 * {@code Mono} or a Kotlin {@code suspend} function); other asynchronous dispatches
	 * pass through.
	 */
	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		DispatcherType dispatch = request.getDispatcherType();
		ServletExchange exchange = (dispatch == DispatcherType.ERROR || dispatch == DispatcherType.ASYNC)
				? ServletExchange.of(request) : ServletExchange.start(request, response);
		if (exchange == null || (dispatch == DispatcherType.ERROR && !exchange.hasClaim())
				|| (dispatch == DispatcherType.ASYNC && !exchange.isWaiting() && !exchange.hasClaim())) {
			chain.doFilter(request, response);
			return;
		}
		if (dispatch == DispatcherType.ERROR) {
			exchange.bufferErrorPage(response);
		}
		try {
			if (dispatch == DispatcherType.ASYNC && exchange.hasClaim()) {
				// an asynchronous handler's result: Spring MVC writes it through the
				// request and response it started asynchronous processing with, which
				// wrap the exchange's
				exchange.asyncResultArrived(ServletAsyncResults.timedOut(request));
				chain.doFilter(request, response);
			}
			else if (dispatch != DispatcherType.ASYNC || this.decider.resume(exchange, request, response)) {
				chain.doFilter((dispatch == DispatcherType.ERROR) ? request : exchange.request(), exchange.response());
			}
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			this.settler.abandon(exchange);
			throw ex;
		}
		if (!request.isAsyncStarted()) {
			this.settler.settle(exchange, response);
		}
	}

}
