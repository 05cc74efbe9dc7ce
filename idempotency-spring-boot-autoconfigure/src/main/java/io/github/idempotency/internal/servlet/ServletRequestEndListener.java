package io.github.idempotency.internal.servlet;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.util.Assert;

/**
 * Releases a key that is still claimed when the container is done with its request: the
 * handler sent an error, and the container answered it without rendering an error page
 * through the filter chain (an application without Spring Boot's error page), so the
 * response was never seen and cannot be stored.
 */
public final class ServletRequestEndListener implements ServletRequestListener {

	private final ServletSettler settler;

	/**
	 * Creates the listener.
	 * @param settler releases what is left
	 */
	public ServletRequestEndListener(ServletSettler settler) {
		Assert.notNull(settler, "settler must not be null");
		this.settler = settler;
	}

	@Override
	public void requestDestroyed(ServletRequestEvent event) {
		if (event.getServletRequest() instanceof HttpServletRequest request) {
			ServletExchange exchange = ServletExchange.of(request);
			if (exchange != null && exchange.hasClaim()) {
				this.settler.release(exchange, "the error the handler sent was answered without an error page");
			}
		}
	}

}
