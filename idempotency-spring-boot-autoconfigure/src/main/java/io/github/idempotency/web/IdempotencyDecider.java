package io.github.idempotency.web;

import java.util.concurrent.ThreadLocalRandom;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyObserver.Outcome;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoreFailureMode;
import io.github.idempotency.web.IdempotencyExchange.Claim;
import io.github.idempotency.web.IdempotencyKeyParser.ParsedKey;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * The step before an {@code @Idempotent} method runs: reads the key, scopes and fingerprints
 * the request and claims the key. Either the method may run (with a claim to settle once the
 * response is final, or without idempotency), or the starter answers itself: a replay, 409,
 * 422, 400, 413 or 503.
 */
public final class IdempotencyDecider {

	/** Seconds a client is asked to wait before retrying a request still in flight. */
	static final long IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

	/** Seconds a client is asked to wait before retrying when the store is unavailable. */
	static final long STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

	private static final Log logger = LogFactory.getLog(IdempotencyDecider.class);

	private final IdempotencyStore store;

	private final IdempotencyScopeResolver scopeResolver;

	private final IdempotencyObserver observer;

	private final String headerName;

	private final StorageKeys storageKeys;

	private final StoreFailureMode storeFailureMode;

	private final long maxBodyBytes;

	private final RequestFingerprinter fingerprinter = new RequestFingerprinter();

	/**
	 * Creates the decision step.
	 * @param store where claims live
	 * @param scopeResolver names the caller a key belongs to
	 * @param observer receives outcomes and store timings; whatever it throws is logged
	 * @param headerName the request header carrying the key
	 * @param keyPrefix the first segment of every store key
	 * @param storeFailureMode what to do when the store fails
	 * @param maxBodySize the largest request body that is fingerprinted
	 */
	public IdempotencyDecider(IdempotencyStore store, IdempotencyScopeResolver scopeResolver,
			IdempotencyObserver observer, String headerName, String keyPrefix, StoreFailureMode storeFailureMode,
			DataSize maxBodySize) {
		Assert.notNull(store, "store must not be null");
		Assert.notNull(scopeResolver, "scopeResolver must not be null");
		Assert.notNull(observer, "observer must not be null");
		Assert.hasText(headerName, "headerName must not be empty");
		Assert.hasText(keyPrefix, "keyPrefix must not be empty");
		Assert.notNull(storeFailureMode, "storeFailureMode must not be null");
		Assert.isTrue(maxBodySize != null && maxBodySize.toBytes() > 0, "maxBodySize must be positive");
		this.observer = SafeObserver.of(observer);
		this.store = new ObservedIdempotencyStore(store, this.observer);
		this.scopeResolver = scopeResolver;
		this.headerName = headerName;
		this.storageKeys = new StorageKeys(keyPrefix);
		this.storeFailureMode = storeFailureMode;
		this.maxBodyBytes = maxBodySize.toBytes();
	}

	/**
	 * Decides whether the method runs.
	 * @param exchange the request's exchange; receives the claim or the starter's answer
	 * @param method the settings of the method
	 * @param request the request
	 * @return {@code true} to run the method, {@code false} when the starter answers
	 */
	boolean decide(IdempotencyExchange exchange, IdempotentMethod method, HttpServletRequest request) {
		ParsedKey key = IdempotencyKeyParser.parse(request.getHeaders(this.headerName));
		if (key.isMissing()) {
			if (!method.required()) {
				this.observer.onOutcome(Outcome.UNKEYED, method.endpoint());
				return true;
			}
			return reject(exchange, method, request, IdempotencyProblem.MISSING_KEY, this.headerName);
		}
		if (!key.isValid()) {
			return reject(exchange, method, request, IdempotencyProblem.INVALID_KEY, this.headerName, key.error());
		}
		if (exchange.isRequestBodyTooLarge()) {
			return reject(exchange, method, request, IdempotencyProblem.BODY_TOO_LARGE, this.maxBodyBytes);
		}
		String storageKey = this.storageKeys.storageKey(this.scopeResolver.resolveScope(request), key.value());
		String fingerprint = this.fingerprinter.fingerprint(request, exchange.requestBody());
		String owner = newOwnerToken();
		ClaimResult result;
		try {
			result = this.store.claim(storageKey, owner, fingerprint, method.lockTimeout());
		}
		catch (IdempotencyRecordException ex) {
			logger.error("Refused " + method.endpoint() + " for key " + storageKey + ": " + ex.getMessage(), ex);
			return answer(exchange, method, Outcome.STORE_ERROR, request, IdempotencyProblem.RECORD_UNREADABLE, 0);
		}
		catch (RuntimeException ex) {
			return onClaimFailure(exchange, method, request, storageKey, ex);
		}
		if (result instanceof ClaimResult.Completed completed) {
			if (!completed.fingerprint().equals(fingerprint)) {
				return mismatch(exchange, method, request, storageKey);
			}
			logDecision("Replayed", method, storageKey);
			this.observer.onOutcome(Outcome.REPLAYED, method.endpoint());
			exchange.replyWith((response) -> ResponseWriter.writeReplay(response, completed.response()));
			return false;
		}
		if (result instanceof ClaimResult.InFlight inFlight) {
			if (!inFlight.fingerprint().equals(fingerprint)) {
				return mismatch(exchange, method, request, storageKey);
			}
			logDecision("Conflict (in flight)", method, storageKey);
			return answer(exchange, method, Outcome.CONFLICT, request, IdempotencyProblem.REQUEST_IN_PROGRESS,
					IN_PROGRESS_RETRY_AFTER_SECONDS);
		}
		exchange.claimed(new Claim(storageKey, owner, method, CapturedResponse.headers(exchange.response())));
		return true;
	}

	private boolean onClaimFailure(IdempotencyExchange exchange, IdempotentMethod method, HttpServletRequest request,
			String storageKey, RuntimeException ex) {
		if (this.storeFailureMode == StoreFailureMode.FAIL_OPEN) {
			logger.warn("Idempotency store failed (" + ex.getMessage() + "); running " + method.endpoint()
					+ " without idempotency for key " + storageKey + " (idempotency.store-failure=fail-open)");
			this.observer.onOutcome(Outcome.FAIL_OPEN, method.endpoint());
			return true;
		}
		logger.warn("Idempotency store failed (" + ex.getMessage() + "); refused " + method.endpoint()
				+ " with 503 for key " + storageKey);
		return answer(exchange, method, Outcome.STORE_ERROR, request, IdempotencyProblem.STORE_UNAVAILABLE,
				STORE_UNAVAILABLE_RETRY_AFTER_SECONDS);
	}

	private boolean mismatch(IdempotencyExchange exchange, IdempotentMethod method, HttpServletRequest request,
			String storageKey) {
		logDecision("Mismatch", method, storageKey);
		return answer(exchange, method, Outcome.MISMATCH, request, IdempotencyProblem.KEY_REUSED, 0);
	}

	private boolean reject(IdempotencyExchange exchange, IdempotentMethod method, HttpServletRequest request,
			IdempotencyProblem problem, Object... detailArguments) {
		if (logger.isDebugEnabled()) {
			logger.debug("Rejected " + method.endpoint() + ": " + problem.title());
		}
		return reply(exchange, method, Outcome.REJECTED, request, problem, 0, detailArguments);
	}

	private boolean answer(IdempotencyExchange exchange, IdempotentMethod method, Outcome outcome,
			HttpServletRequest request, IdempotencyProblem problem, long retryAfterSeconds) {
		return reply(exchange, method, outcome, request, problem, retryAfterSeconds, this.headerName);
	}

	private boolean reply(IdempotencyExchange exchange, IdempotentMethod method, Outcome outcome,
			HttpServletRequest request, IdempotencyProblem problem, long retryAfterSeconds, Object... detailArguments) {
		this.observer.onOutcome(outcome, method.endpoint());
		String detail = problem.detail(detailArguments);
		String instance = request.getRequestURI();
		exchange.replyWith(
				(response) -> ResponseWriter.writeProblem(response, problem, detail, instance, retryAfterSeconds));
		return false;
	}

	private static void logDecision(String decision, IdempotentMethod method, String storageKey) {
		if (logger.isDebugEnabled()) {
			logger.debug(decision + " " + method.endpoint() + " for key " + storageKey);
		}
	}

	private static String newOwnerToken() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
	}

}
