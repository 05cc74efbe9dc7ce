package io.github.idempotency.web;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyObserver.Outcome;
import io.github.idempotency.IdempotencyObserver.StoreOperation;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.StoreFailureMode;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.web.IdempotencyExchange.Claim;
import io.github.idempotency.web.IdempotencyKeyParser.ParsedKey;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Decides what happens to a request for an {@code @Idempotent} method, and settles its key
 * once the response is known. The aspect calls {@link #handle} around the method; the filter
 * calls {@link #finish} after the rest of the chain.
 */
public final class IdempotentRequestHandler {

	/** Seconds a client is asked to wait before retrying a request still in flight. */
	static final long IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

	/** Seconds a client is asked to wait before retrying when the store is unavailable. */
	static final long STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

	private static final Log logger = LogFactory.getLog(IdempotentRequestHandler.class);

	private final IdempotencyStore store;

	private final IdempotencyScopeResolver scopeResolver;

	private final ResponseStoragePolicy storagePolicy;

	private final IdempotencyObserver observer;

	private final String headerName;

	private final StorageKeys storageKeys;

	private final StoreFailureMode storeFailureMode;

	private final DataSize maxBodySize;

	private final RequestFingerprinter fingerprinter = new RequestFingerprinter();

	/**
	 * Creates a handler.
	 * @param store where claims and responses live
	 * @param scopeResolver names the caller a key belongs to
	 * @param storagePolicy which responses are stored
	 * @param observer receives outcomes and store timings
	 * @param headerName the request header carrying the key
	 * @param keyPrefix the first segment of every store key
	 * @param storeFailureMode what to do when the store fails
	 * @param maxBodySize the largest request body fingerprinted and response body stored
	 */
	public IdempotentRequestHandler(IdempotencyStore store, IdempotencyScopeResolver scopeResolver,
			ResponseStoragePolicy storagePolicy, IdempotencyObserver observer, String headerName, String keyPrefix,
			StoreFailureMode storeFailureMode, DataSize maxBodySize) {
		Assert.notNull(store, "store must not be null");
		Assert.notNull(scopeResolver, "scopeResolver must not be null");
		Assert.notNull(storagePolicy, "storagePolicy must not be null");
		Assert.notNull(observer, "observer must not be null");
		Assert.hasText(headerName, "headerName must not be empty");
		Assert.hasText(keyPrefix, "keyPrefix must not be empty");
		Assert.notNull(storeFailureMode, "storeFailureMode must not be null");
		Assert.isTrue(maxBodySize != null && maxBodySize.toBytes() > 0, "maxBodySize must be positive");
		this.store = store;
		this.scopeResolver = scopeResolver;
		this.storagePolicy = storagePolicy;
		this.observer = observer;
		this.headerName = headerName;
		this.storageKeys = new StorageKeys(keyPrefix);
		this.storeFailureMode = storeFailureMode;
		this.maxBodySize = maxBodySize;
	}

	String headerName() {
		return this.headerName;
	}

	DataSize maxBodySize() {
		return this.maxBodySize;
	}

	/**
	 * Runs {@code invocation} at most once per key, or answers for it.
	 * @param method the settings of the method
	 * @param invocation proceeds to the method
	 * @return what the method returned, or {@code null} when the starter answers the request
	 * @throws Throwable whatever the method throws
	 */
	Object handle(IdempotentMethod method, Invocation invocation) throws Throwable {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (!(attributes instanceof ServletRequestAttributes servletAttributes)) {
			return invocation.proceed();
		}
		HttpServletRequest request = servletAttributes.getRequest();
		IdempotencyExchange exchange = IdempotencyExchange.of(request);
		if (exchange == null) {
			throw new IllegalStateException("@Idempotent method " + method.endpoint()
					+ " was called without the IdempotencyFilter; register it for every request");
		}
		ParsedKey key = IdempotencyKeyParser.parse(request.getHeaders(this.headerName));
		if (key.isMissing()) {
			if (!method.required()) {
				return invocation.proceed();
			}
			return reject(exchange, method, request, IdempotencyProblem.MISSING_KEY, this.headerName);
		}
		if (!key.isValid()) {
			return reject(exchange, method, request, IdempotencyProblem.INVALID_KEY, this.headerName, key.error());
		}
		if (exchange.isRequestBodyTooLarge()) {
			return reject(exchange, method, request, IdempotencyProblem.BODY_TOO_LARGE, this.maxBodySize.toBytes());
		}
		String storageKey = this.storageKeys.storageKey(this.scopeResolver.resolveScope(request), key.value());
		String fingerprint = this.fingerprinter.fingerprint(request, exchange.requestBody());
		String owner = newOwnerToken();
		ClaimResult result;
		try {
			result = timed(StoreOperation.CLAIM,
					() -> this.store.claim(storageKey, owner, fingerprint, method.lockTimeout()));
		}
		catch (IdempotencyRecordException ex) {
			logger.error("Refused " + method.endpoint() + " for key " + storageKey + ": " + ex.getMessage(), ex);
			return answer(exchange, method, Outcome.STORE_ERROR, request, IdempotencyProblem.RECORD_UNREADABLE, 0);
		}
		catch (RuntimeException ex) {
			return onClaimFailure(exchange, method, request, storageKey, invocation, ex);
		}
		if (result instanceof ClaimResult.Completed completed) {
			if (!completed.fingerprint().equals(fingerprint)) {
				return mismatch(exchange, method, request, storageKey);
			}
			logDecision("Replayed", method, storageKey);
			this.observer.onOutcome(Outcome.REPLAYED, method.endpoint());
			exchange.replyWith((response) -> ResponseWriter.writeReplay(response, completed.response()));
			return null;
		}
		if (result instanceof ClaimResult.InFlight inFlight) {
			if (!inFlight.fingerprint().equals(fingerprint)) {
				return mismatch(exchange, method, request, storageKey);
			}
			logDecision("Conflict (in flight)", method, storageKey);
			return answer(exchange, method, Outcome.CONFLICT, request, IdempotencyProblem.REQUEST_IN_PROGRESS,
					IN_PROGRESS_RETRY_AFTER_SECONDS);
		}
		return execute(exchange, method, storageKey, owner, invocation);
	}

	private Object execute(IdempotencyExchange exchange, IdempotentMethod method, String storageKey, String owner,
			Invocation invocation) throws Throwable {
		if (exchange.capture() == null) {
			throw new IllegalStateException("The IdempotencyFilter did not buffer the response of " + method.endpoint());
		}
		exchange.claimed(new Claim(storageKey, owner, method, CapturedResponse.headers(exchange.capture())));
		try {
			return invocation.proceed();
		}
		catch (Throwable ex) {
			exchange.claimed(null);
			release(method, storageKey, owner, "the method threw " + ex.getClass().getSimpleName());
			throw ex;
		}
	}

	/**
	 * Settles the request after the filter chain: writes the starter's own answer, or stores
	 * or releases the claimed key depending on the response, then sends the buffered response.
	 * @param request the request
	 * @param response the response the filter received
	 * @throws IOException if writing fails
	 */
	void finish(HttpServletRequest request, HttpServletResponse response) throws IOException {
		IdempotencyExchange exchange = IdempotencyExchange.of(request);
		ContentCachingResponseWrapper capture = exchange.capture();
		if (exchange.reply() != null) {
			if (capture != null) {
				capture.resetBuffer();
			}
			exchange.reply().writeTo(response);
			return;
		}
		Claim claim = exchange.claim();
		if (claim != null) {
			exchange.claimed(null);
			settle(claim, capture);
		}
		if (capture != null) {
			capture.copyBodyToResponse();
		}
	}

	/**
	 * Releases the key of a request whose filter chain failed after the method returned.
	 * @param request the request
	 */
	void abandon(HttpServletRequest request) {
		IdempotencyExchange exchange = IdempotencyExchange.of(request);
		Claim claim = (exchange != null) ? exchange.claim() : null;
		if (claim != null) {
			exchange.claimed(null);
			release(claim.method(), claim.storageKey(), claim.owner(), "the response could not be produced");
		}
	}

	private void settle(Claim claim, ContentCachingResponseWrapper capture) {
		IdempotentMethod method = claim.method();
		int status = capture.getStatus();
		if (!this.storagePolicy.isStorable(status)) {
			logDecision("Executed (status " + status + " not stored)", method, claim.storageKey());
			this.observer.onOutcome(Outcome.EXECUTED, method.endpoint());
			release(method, claim.storageKey(), claim.owner(), "status " + status + " is not stored");
			return;
		}
		if (capture.getContentSize() > this.maxBodySize.toBytes()) {
			logger.warn("Response of " + method.endpoint() + " (" + capture.getContentSize()
					+ " bytes) exceeds idempotency.max-body-size; it is not stored and a retry runs again");
			this.observer.onOutcome(Outcome.EXECUTED, method.endpoint());
			release(method, claim.storageKey(), claim.owner(), "the response is too large to store");
			return;
		}
		StoredResponse stored = CapturedResponse.toStoredResponse(capture, claim.headersBefore());
		try {
			boolean written = timed(StoreOperation.COMPLETE,
					() -> this.store.complete(claim.storageKey(), claim.owner(), stored, method.ttl()));
			if (written) {
				logDecision("Executed", method, claim.storageKey());
				this.observer.onOutcome(Outcome.EXECUTED, method.endpoint());
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
			this.observer.onOutcome(Outcome.EXECUTED, method.endpoint());
		}
	}

	private void release(IdempotentMethod method, String storageKey, String owner, String reason) {
		try {
			boolean released = timed(StoreOperation.RELEASE, () -> this.store.release(storageKey, owner));
			if (!released) {
				logger.warn("Lost claim: " + method.endpoint() + " could not release key " + storageKey + " ("
						+ reason + ") because its lock timeout had passed; the newer record was left untouched");
				this.observer.onOutcome(Outcome.LOST_CLAIM, method.endpoint());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not release key " + storageKey + " of " + method.endpoint() + " (" + reason
					+ "); it frees itself when its lock timeout passes", ex);
		}
	}

	private Object onClaimFailure(IdempotencyExchange exchange, IdempotentMethod method, HttpServletRequest request,
			String storageKey, Invocation invocation, RuntimeException ex) throws Throwable {
		if (this.storeFailureMode == StoreFailureMode.FAIL_OPEN) {
			logger.warn("Idempotency store failed (" + ex.getMessage() + "); running " + method.endpoint()
					+ " without idempotency for key " + storageKey + " (idempotency.store-failure=fail-open)");
			this.observer.onOutcome(Outcome.FAIL_OPEN, method.endpoint());
			return invocation.proceed();
		}
		logger.warn("Idempotency store failed (" + ex.getMessage() + "); refused " + method.endpoint()
				+ " with 503 for key " + storageKey);
		return answer(exchange, method, Outcome.STORE_ERROR, request, IdempotencyProblem.STORE_UNAVAILABLE,
				STORE_UNAVAILABLE_RETRY_AFTER_SECONDS);
	}

	private Object mismatch(IdempotencyExchange exchange, IdempotentMethod method, HttpServletRequest request,
			String storageKey) {
		logDecision("Mismatch", method, storageKey);
		return answer(exchange, method, Outcome.MISMATCH, request, IdempotencyProblem.KEY_REUSED, 0);
	}

	private Object reject(IdempotencyExchange exchange, IdempotentMethod method, HttpServletRequest request,
			IdempotencyProblem problem, Object... detailArguments) {
		if (logger.isDebugEnabled()) {
			logger.debug("Rejected " + method.endpoint() + ": " + problem.title());
		}
		return reply(exchange, method, Outcome.REJECTED, request, problem, 0, detailArguments);
	}

	private Object answer(IdempotencyExchange exchange, IdempotentMethod method, Outcome outcome,
			HttpServletRequest request, IdempotencyProblem problem, long retryAfterSeconds) {
		return reply(exchange, method, outcome, request, problem, retryAfterSeconds, this.headerName);
	}

	private Object reply(IdempotencyExchange exchange, IdempotentMethod method, Outcome outcome,
			HttpServletRequest request, IdempotencyProblem problem, long retryAfterSeconds, Object... detailArguments) {
		this.observer.onOutcome(outcome, method.endpoint());
		String detail = problem.detail(detailArguments);
		String instance = request.getRequestURI();
		exchange.replyWith(
				(response) -> ResponseWriter.writeProblem(response, problem, detail, instance, retryAfterSeconds));
		return null;
	}

	private <T> T timed(StoreOperation operation, Supplier<T> call) {
		long start = System.nanoTime();
		boolean failed = true;
		try {
			T result = call.get();
			failed = false;
			return result;
		}
		finally {
			this.observer.onStoreCall(operation, System.nanoTime() - start, failed);
		}
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

	/** Proceeds to the idempotent method. */
	@FunctionalInterface
	interface Invocation {

		Object proceed() throws Throwable;

	}

}
