package io.github.idempotency.internal.servlet;

import java.lang.reflect.Method;

import io.github.idempotency.IdempotencyObserver.Outcome;
import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.claim.Claim;
import io.github.idempotency.internal.claim.Decision;
import io.github.idempotency.internal.claim.StorageKeys;
import io.github.idempotency.internal.http.IdempotencyKeyParser;
import io.github.idempotency.internal.http.IdempotencyKeyParser.ParsedKey;
import io.github.idempotency.internal.http.IdempotentHandler;
import io.github.idempotency.internal.http.RefusalProblem;
import io.github.idempotency.internal.http.RequestFingerprinter;
import io.micrometer.observation.Observation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * The step once Spring MVC has mapped a request to an {@code @Idempotent} method, before
 * it binds the method's arguments: reads the key, scopes and fingerprints the request
 * (reading its body ahead when the method takes one) and claims the key. Either the
 * request goes on to the method (with a claim to settle once the response is final, or
 * without idempotency), or the starter answers itself: a replay, 409, 422, 400, 413 or
 * 503, without binding anything.
 */
public final class ServletDecider {

	private static final byte[] EMPTY = new byte[0];

	private static final Log logger = LogFactory.getLog(ServletDecider.class);

	private final ClaimSequence claims;

	private final IdempotencyScopeResolver scopeResolver;

	private final String headerName;

	private final StorageKeys storageKeys;

	private final long maxBodyBytes;

	private final ServletBodyReader bodyReader;

	private final RequestFingerprinter fingerprinter = new RequestFingerprinter();

	/**
	 * Creates the decision step.
	 * @param claims claims keys in the store and counts outcomes
	 * @param scopeResolver names the caller a key belongs to
	 * @param headerName the request header carrying the key
	 * @param keyPrefix the first segment of every store key
	 * @param maxBodySize the largest request body that is fingerprinted
	 */
	public ServletDecider(ClaimSequence claims, IdempotencyScopeResolver scopeResolver, String headerName,
			String keyPrefix, DataSize maxBodySize) {
		Assert.notNull(claims, "claims must not be null");
		Assert.notNull(scopeResolver, "scopeResolver must not be null");
		Assert.hasText(headerName, "headerName must not be empty");
		Assert.hasText(keyPrefix, "keyPrefix must not be empty");
		Assert.isTrue(maxBodySize != null && maxBodySize.toBytes() > 0, "maxBodySize must be positive");
		this.claims = claims;
		this.scopeResolver = scopeResolver;
		this.headerName = headerName;
		this.storageKeys = new StorageKeys(keyPrefix);
		this.maxBodyBytes = maxBodySize.toBytes();
		this.bodyReader = new ServletBodyReader(this.maxBodyBytes);
	}

	/**
	 * Decides whether the request goes on to the method.
	 * @param exchange the request's exchange; receives the decision
	 * @param handlerMethod the handler method Spring MVC mapped the request to
	 * @param method the settings of the method
	 * @param request the request, as Spring MVC hands it to the handler
	 * @return {@code true} to go on, {@code false} when the starter answers
	 * @throws org.springframework.http.converter.HttpMessageNotReadableException if the
	 * body cannot be read, which Spring MVC answers with 400
	 */
	boolean decide(ServletExchange exchange, Method handlerMethod, IdempotentHandler method,
			HttpServletRequest request) {
		Observation observation = this.claims.startCall(method.endpoint());
		exchange.deciding(observation);
		try (Observation.Scope scope = observation.openScope()) {
			return decideObserved(exchange, handlerMethod, method, request);
		}
	}

	private boolean decideObserved(ServletExchange exchange, Method handlerMethod, IdempotentHandler method,
			HttpServletRequest request) {
		ParsedKey parsed = IdempotencyKeyParser.parse(request.getHeaders(this.headerName));
		if (parsed instanceof ParsedKey.Invalid invalid) {
			return reject(exchange, method, request, IdempotencyProblem.INVALID_KEY, this.headerName, invalid.error());
		}
		if (!(parsed instanceof ParsedKey.Valid key)) {
			if (!method.required()) {
				this.claims.observer().onOutcome(Outcome.UNKEYED, method.endpoint());
				exchange.unprotected();
				return true;
			}
			return reject(exchange, method, request, IdempotencyProblem.MISSING_KEY, this.headerName);
		}
		byte[] body = EMPTY;
		if (method.readsBody()) {
			body = this.bodyReader.readAhead(request, exchange.request());
			if (body == null) {
				return reject(exchange, method, request, IdempotencyProblem.BODY_TOO_LARGE, this.maxBodyBytes);
			}
		}
		String storageKey = this.storageKeys.storageKey(this.scopeResolver.resolveScope(request), key.value());
		String fingerprint = this.fingerprinter.fingerprint(request.getMethod(), request.getRequestURI(),
				request.getParameterMap(), request.getContentType(), body);
		return this.claims
			.claim(method.endpoint(), storageKey, fingerprint, method.lockTimeout(), method.waitForInProgress())
			.accept(new Outcomes(exchange, handlerMethod, method, request, method.readsBody() ? body : null));
	}

	/**
	 * Decides a request dispatched again once its wait for the request in flight with its
	 * key ended, with the wait's decision.
	 * @param exchange the request's exchange, waiting
	 * @param request the request as this dispatch hands it to the filter
	 * @param response the response as this dispatch hands it to the filter
	 * @return {@code true} to go on to the method, {@code false} when the starter answers
	 */
	boolean resume(ServletExchange exchange, HttpServletRequest request, HttpServletResponse response) {
		ServletExchange.Waiting waiting = exchange.resumed(request, response);
		try (Observation.Scope scope = exchange.observation().openScope()) {
			return waiting.pending()
				.decision()
				.accept(new Outcomes(exchange, waiting.handlerMethod(), waiting.handler(), exchange.request(),
						waiting.body()));
		}
	}

	private boolean reject(ServletExchange exchange, IdempotentHandler method, HttpServletRequest request,
			IdempotencyProblem problem, Object... detailArguments) {
		if (logger.isDebugEnabled()) {
			logger.debug("Rejected " + method.endpoint() + ": " + problem.title());
		}
		this.claims.observer().onOutcome(Outcome.REJECTED, method.endpoint());
		return reply(exchange, request, problem, 0, detailArguments);
	}

	private boolean reply(ServletExchange exchange, HttpServletRequest request, IdempotencyProblem problem,
			long retryAfterSeconds, Object... detailArguments) {
		String detail = problem.detail(detailArguments);
		String instance = request.getRequestURI();
		exchange.answered((response) -> ServletResponseWriter.writeProblem(response, problem, detail, instance,
				retryAfterSeconds));
		return false;
	}

	/**
	 * What a decision makes of the request: it goes on to the method, or the starter
	 * answers.
	 */
	private final class Outcomes implements Decision.Cases<Boolean, RuntimeException> {

		private final ServletExchange exchange;

		private final Method handlerMethod;

		private final IdempotentHandler method;

		private final HttpServletRequest request;

		private final byte @Nullable [] body;

		Outcomes(ServletExchange exchange, Method handlerMethod, IdempotentHandler method, HttpServletRequest request,
				byte @Nullable [] body) {
			this.exchange = exchange;
			this.handlerMethod = handlerMethod;
			this.method = method;
			this.request = request;
			this.body = body;
		}

		@Override
		public Boolean run(Claim claim) {
			this.exchange.claimed(this.handlerMethod, claim, this.method,
					ServletResponseCapture.headers(this.exchange.response()));
			return true;
		}

		@Override
		public Boolean runWithoutIdempotency() {
			this.exchange.unprotected();
			return true;
		}

		@Override
		public Boolean replay(StoredResponse response) {
			ServletDecider.this.claims.observer().onOutcome(Outcome.REPLAYED, this.method.endpoint());
			this.exchange.answered((servletResponse) -> ServletResponseWriter.writeReplay(servletResponse, response));
			return false;
		}

		/**
		 * The request waits in asynchronous mode, its thread back in the container's
		 * pool; where some filter or servlet of the chain does not support asynchronous
		 * mode, it waits on its thread.
		 */
		@Override
		public Boolean await(Decision.Wait wait) {
			if (!this.request.isAsyncSupported()) {
				return wait.join().accept(this);
			}
			this.exchange.waiting(new ServletExchange.Waiting(this.handlerMethod, this.method,
					ServletWait.start(this.request, wait, this.method.waitForInProgress()), this.body));
			return false;
		}

		@Override
		public Boolean refuse(Decision.Refused refusal) {
			RefusalProblem problem = RefusalProblem.of(refusal);
			return reply(this.exchange, this.request, problem.problem(), problem.retryAfterSeconds(),
					ServletDecider.this.headerName);
		}

	}

}
