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

	/**
	 * Creates the filter.
	 * @param settler settles keys once responses are final
	 */
	public ServletSettlingFilter(ServletSettler settler) {
		Assert.notNull(settler, "settler must not be null");
		this.settler = settler;
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

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ServletExchange exchange;
		HttpServletRequest forwarded = request;
		if (request.getDispatcherType() == DispatcherType.ERROR) {
			exchange = ServletExchange.of(request);
			if (exchange == null || !exchange.hasClaim()) {
				chain.doFilter(request, response);
				return;
			}
			exchange.bufferErrorPage(response);
		}
		else {
			exchange = ServletExchange.start(request, response);
			forwarded = exchange.request();
		}
		try {
			chain.doFilter(forwarded, exchange.response());
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
