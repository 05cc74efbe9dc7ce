package io.github.idempotency.web;

import java.io.IOException;

import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyObserver.Outcome;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.web.IdempotencyExchange.Claim;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * The step after the response is final — returned or resolved from an exception by Spring MVC,
 * or rendered by the container's error page: stores it or releases the key, then sends it. Every
 * claimed request is counted here, once.
 */
public final class IdempotencySettler {

	private static final Log logger = LogFactory.getLog(IdempotencySettler.class);

	private final IdempotencyStore store;

	private final ResponseStoragePolicy storagePolicy;

	private final IdempotencyObserver observer;

	private final long maxBodyBytes;

	/**
	 * Creates the settling step.
	 * @param store where responses are stored
	 * @param storagePolicy which responses are stored
	 * @param observer receives outcomes and store timings; whatever it throws is logged
	 * @param maxBodySize the largest response body that is stored
	 */
	public IdempotencySettler(IdempotencyStore store, ResponseStoragePolicy storagePolicy,
			IdempotencyObserver observer, DataSize maxBodySize) {
		Assert.notNull(store, "store must not be null");
		Assert.notNull(storagePolicy, "storagePolicy must not be null");
		Assert.notNull(observer, "observer must not be null");
		Assert.isTrue(maxBodySize != null && maxBodySize.toBytes() > 0, "maxBodySize must be positive");
		this.observer = SafeObserver.of(observer);
		this.store = new ObservedIdempotencyStore(store, this.observer);
		this.storagePolicy = storagePolicy;
		this.maxBodyBytes = maxBodySize.toBytes();
	}

	/**
	 * Settles a request whose response is final: writes the starter's own answer, or stores or
	 * releases the claimed key, then sends the buffered response. A claim whose handler sent an
	 * error stays with the exchange until the container's error page has been rendered.
	 * @param exchange the request's exchange
	 * @param response the response the filter received
	 * @throws IOException if writing fails
	 */
	void settle(IdempotencyExchange exchange, HttpServletResponse response) throws IOException {
		countUndecided(exchange);
		BufferingResponse buffered = exchange.response();
		IdempotencyExchange.Reply reply = exchange.reply();
		if (reply != null) {
			buffered.discard();
			reply.writeTo(response);
			return;
		}
		if (buffered.isErrorSent() && exchange.hasClaim()) {
			return;
		}
		Claim claim = exchange.takeClaim();
		if (claim != null) {
			settle(claim, buffered.buffer());
		}
		buffered.send();
	}

	/**
	 * Releases the key of a request whose response could not be produced: an exception escaped
	 * to the container, which answers 500.
	 * @param exchange the request's exchange
	 */
	void abandon(IdempotencyExchange exchange) {
		countUndecided(exchange);
		release(exchange, "an exception escaped to the container");
	}

	/**
	 * Releases the key of a claimed request whose response was never seen.
	 * @param exchange the request's exchange
	 * @param reason why, for the log
	 */
	void release(IdempotencyExchange exchange, String reason) {
		Claim claim = exchange.takeClaim();
		if (claim != null) {
			this.observer.onOutcome(Outcome.EXECUTED, claim.method().endpoint());
			release(claim, reason);
		}
	}

	/**
	 * Counts a request that Spring MVC mapped to an {@code @Idempotent} method but answered
	 * before the method was reached, so that every such request is counted once.
	 */
	private void countUndecided(IdempotencyExchange exchange) {
		IdempotentMethod undecided = exchange.takeUndecided();
		if (undecided != null) {
			this.observer.onOutcome(Outcome.NOT_RUN, undecided.endpoint());
		}
	}

	private void settle(Claim claim, ContentCachingResponseWrapper buffer) {
		IdempotentMethod method = claim.method();
		int status = buffer.getStatus();
		this.observer.onOutcome(Outcome.EXECUTED, method.endpoint());
		if (!this.storagePolicy.isStorable(status)) {
			logDecision("Executed (status " + status + " not stored)", claim);
			release(claim, "status " + status + " is not stored");
			return;
		}
		if (buffer.getContentSize() > this.maxBodyBytes) {
			logger.warn("Response of " + method.endpoint() + " (" + buffer.getContentSize()
					+ " bytes) exceeds idempotency.max-body-size; it is not stored and a retry runs again");
			release(claim, "the response is too large to store");
			return;
		}
		StoredResponse stored = CapturedResponse.toStoredResponse(buffer, claim.headersBefore());
		try {
			if (this.store.complete(claim.storageKey(), claim.owner(), stored, method.ttl())) {
				logDecision("Executed", claim);
			}
			else {
				logger.warn("Lost claim: " + method.endpoint() + " finished after its lock timeout ("
						+ method.lockTimeout() + ") for key " + claim.storageKey()
						+ "; its response was sent but not stored, and the newer record was left untouched");
				this.observer.onOutcome(Outcome.LOST_CLAIM, method.endpoint());
			}
		}
		catch (RuntimeException ex) {
			logger.error("Could not store the response of " + method.endpoint() + " for key " + claim.storageKey()
					+ "; it was sent, and the key stays claimed until its lock timeout passes", ex);
		}
	}

	private void release(Claim claim, String reason) {
		IdempotentMethod method = claim.method();
		try {
			if (!this.store.release(claim.storageKey(), claim.owner())) {
				logger.warn("Lost claim: " + method.endpoint() + " could not release key " + claim.storageKey() + " ("
						+ reason + ") because its lock timeout had passed; the newer record was left untouched");
				this.observer.onOutcome(Outcome.LOST_CLAIM, method.endpoint());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release key " + claim.storageKey() + " of " + method.endpoint() + " (" + reason
					+ "); it frees itself when its lock timeout passes", ex);
		}
	}

	private static void logDecision(String decision, Claim claim) {
		if (logger.isDebugEnabled()) {
			logger.debug(decision + " " + claim.method().endpoint() + " for key " + claim.storageKey());
		}
	}

}
