package io.github.idempotency.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.util.Assert;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Buffers the response of every request that carries an idempotency key, so that the bytes
 * sent are exactly the bytes stored, and settles the key once the handler's response is
 * complete. Requests without the key header pass through unbuffered.
 */
public final class IdempotencyFilter extends OncePerRequestFilter {

	private final IdempotentRequestHandler handler;

	/**
	 * Creates the filter.
	 * @param handler settles keys once responses are complete
	 */
	public IdempotencyFilter(IdempotentRequestHandler handler) {
		Assert.notNull(handler, "handler must not be null");
		this.handler = handler;
	}

	/**
	 * Also runs on the async dispatch of a request that carried a key, so the buffered response
	 * of an asynchronous (never idempotent) handler is sent when it completes.
	 */
	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (isAsyncDispatch(request)) {
			chain.doFilter(request, response);
			if (!request.isAsyncStarted()) {
				this.handler.finish(request, response);
			}
			return;
		}
		ContentCachingResponseWrapper capture = (request.getHeader(this.handler.headerName()) != null)
				? new ContentCachingResponseWrapper(response) : null;
		new IdempotencyExchange(capture).bindTo(request);
		try {
			chain.doFilter(request, (capture != null) ? capture : response);
		}
		catch (IOException | ServletException | RuntimeException | Error ex) {
			this.handler.abandon(request);
			throw ex;
		}
		if (!request.isAsyncStarted()) {
			this.handler.finish(request, response);
		}
	}

}
