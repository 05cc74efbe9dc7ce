package io.github.idempotency.internal.servlet;

import java.io.IOException;

import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.internal.http.IdempotentHandler;
import io.github.idempotency.internal.servlet.ServletExchange.Answered;
import io.github.idempotency.internal.servlet.ServletExchange.Claimed;
import io.micrometer.observation.Observation;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * The step after the response is final — returned or resolved from an exception by Spring
 * MVC, or rendered by the container's error page: stores it or releases the key, then
 * sends it. A claimed request that Spring MVC answered before its method ran (an
 * unreadable or invalid body, say) gives its key back, so a corrected retry with the same
 * key runs.
 */
public final class ServletSettler {

	private static final Log logger = LogFactory.getLog(ServletSettler.class);

	private final ResponseStoragePolicy storagePolicy;

	private final long maxBodyBytes;

	/**
	 * Creates the settling step.
	 * @param storagePolicy which responses are stored
	 * @param maxBodySize the largest response body that is stored
	 */
	public ServletSettler(ResponseStoragePolicy storagePolicy, DataSize maxBodySize) {
		Assert.notNull(storagePolicy, "storagePolicy must not be null");
		Assert.isTrue(maxBodySize != null && maxBodySize.toBytes() > 0, "maxBodySize must be positive");
		this.storagePolicy = storagePolicy;
		this.maxBodyBytes = maxBodySize.toBytes();
	}

	/**
	 * Settles a request whose response is final: writes the starter's own answer, or
	 * stores or releases the claimed key, then sends the buffered response. A claim whose
	 * handler sent an error stays with the exchange until the container's error page has
	 * been rendered, but for an asynchronous handler past its timeout: its claim is left
	 * to expire at once (the container ends such a request before its error page).
	 * @param exchange the request's exchange
	 * @param response the response the filter received
	 * @throws IOException if writing fails
	 */
	void settle(ServletExchange exchange, HttpServletResponse response) throws IOException {
		ServletBufferingResponse buffered = exchange.response();
		if (exchange.hasClaim() && buffered.isErrorSent() && !exchange.asyncTimedOut()) {
			return;
		}
		ServletExchange.State state = exchange.settling();
		if (state instanceof Answered answered) {
			buffered.discard();
			exchange.endObservation();
			answered.reply().writeTo(response);
			return;
		}
		if (state instanceof Claimed claimed) {
			settleClaim(exchange, claimed);
		}
		exchange.endObservation();
		buffered.send();
	}

	/**
	 * Settles a request whose handler forwarded it to another handler, once that one has
	 * answered: the container finishes the response as soon as the forward returns
	 * (Tomcat 11 does so even through response wrappers), so the response is stored and
	 * sent now.
	 * @param exchange the request's exchange
	 * @throws IOException if writing fails
	 */
	void settleForwarded(ServletExchange exchange) throws IOException {
		if (exchange.state() instanceof Claimed claimed && claimed.reached() && !exchange.response().isErrorSent()) {
			exchange.settling();
			settleClaim(exchange, claimed);
			exchange.endObservation();
			exchange.response().send();
		}
	}

	private void settleClaim(ServletExchange exchange, Claimed claimed) {
		ContentCachingResponseWrapper buffer = exchange.response().buffered();
		try (Observation.Scope scope = exchange.observation().openScope()) {
			if (claimed.reached() && exchange.asyncTimedOut()) {
				claimed.claim()
					.abandon("its asynchronous handler did not finish within Spring MVC's asynchronous timeout "
							+ "(spring.mvc.async.request-timeout) and may still be running");
			}
			else if (claimed.reached()) {
				settle(claimed, buffer);
			}
			else {
				claimed.claim().withdraw("Spring MVC answered " + buffer.getStatus() + " before the method ran");
			}
		}
	}

	/**
	 * Releases the key of a request whose response could not be produced: an exception
	 * escaped to the container, which answers 500.
	 * @param exchange the request's exchange
	 */
	void abandon(ServletExchange exchange) {
		release(exchange, "an exception escaped to the container");
	}

	/**
	 * Releases the key of a claimed request whose response was never seen.
	 * @param exchange the request's exchange
	 * @param reason why, for the log
	 */
	void release(ServletExchange exchange, String reason) {
		if (exchange.settling() instanceof Claimed claimed) {
			try (Observation.Scope scope = exchange.observation().openScope()) {
				if (claimed.reached()) {
					claimed.claim().release(reason);
				}
				else {
					claimed.claim().withdraw(reason + " before the method ran");
				}
			}
		}
		exchange.endObservation();
	}

	private void settle(Claimed claimed, ContentCachingResponseWrapper buffer) {
		IdempotentHandler method = claimed.handler();
		int status = buffer.getStatus();
		if (!this.storagePolicy.isStorable(status)) {
			claimed.claim()
				.release(
						"status " + status + " is not stored", (status < 500)
								? ServletResponseCapture.toStoredResponse(buffer, claimed.headersBefore()) : null,
						method.ttl());
			return;
		}
		if (buffer.getContentSize() > this.maxBodyBytes) {
			logger.warn("Response of " + method.endpoint() + " (" + buffer.getContentSize()
					+ " bytes) exceeds idempotency.max-body-size; it is not stored and a retry runs again");
			claimed.claim().release("the response is too large to store");
			return;
		}
		claimed.claim()
			.complete(ServletResponseCapture.toStoredResponse(buffer, claimed.headersBefore()), method.ttl());
	}

}
