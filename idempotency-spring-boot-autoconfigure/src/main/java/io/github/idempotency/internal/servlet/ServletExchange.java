package io.github.idempotency.internal.servlet;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.http.IdempotentHandler;
import io.micrometer.observation.Observation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The state of one request on its way through the filter, the handler interceptor and the
 * aspect. Lives in a request attribute; touched by the request's own thread only.
 */
final class ServletExchange {

	private static final String ATTRIBUTE = ServletExchange.class.getName();

	private final ServletReadAheadRequest request;

	private ServletBufferingResponse response;

	private Method handlerMethod;

	private IdempotentHandler handler;

	private boolean reached;

	private Claim claim;

	private Reply reply;

	private Observation observation = Observation.NOOP;

	private ServletExchange(ServletReadAheadRequest request, ServletBufferingResponse response) {
		this.request = request;
		this.response = response;
	}

	/**
	 * Starts the exchange of a request: its body and response pass through untouched until the
	 * request turns out to be mapped to an {@code @Idempotent} handler.
	 */
	static ServletExchange start(HttpServletRequest request, HttpServletResponse response) {
		ServletExchange exchange = new ServletExchange(new ServletReadAheadRequest(request),
				new ServletBufferingResponse(response));
		request.setAttribute(ATTRIBUTE, exchange);
		return exchange;
	}

	static ServletExchange of(HttpServletRequest request) {
		return (ServletExchange) request.getAttribute(ATTRIBUTE);
	}

	/** The request the current thread serves, as Spring MVC sees it, or {@code null}. */
	static HttpServletRequest currentRequest() {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		return (attributes instanceof ServletRequestAttributes servletAttributes) ? servletAttributes.getRequest()
				: null;
	}

	/** The request the rest of the chain reads. */
	ServletReadAheadRequest request() {
		return this.request;
	}

	/** The response the rest of the chain writes to. */
	ServletBufferingResponse response() {
		return this.response;
	}

	/**
	 * Records that Spring MVC mapped the request to an {@code @Idempotent} handler method and
	 * starts buffering its response, before anything of the handler is written.
	 */
	void mappedTo(Method method, IdempotentHandler settings) {
		this.handlerMethod = method;
		this.handler = settings;
		this.response.startBuffering();
	}

	/** Whether the request is mapped to an {@code @Idempotent} handler method. */
	boolean isIdempotent() {
		return this.handler != null;
	}

	/** Whether {@code method} is the handler method Spring MVC mapped the request to. */
	boolean isHandlerMethod(Method method) {
		return method.equals(this.handlerMethod);
	}

	/**
	 * Records that the {@code @Idempotent} handler is being called for this request, once
	 * Spring MVC has bound and validated its arguments.
	 * @param invoked the method being called
	 * @return {@code true} when {@code invoked} is the handler called for the first time;
	 * {@code false} for any other call
	 */
	boolean reach(Method invoked) {
		if (this.reached || this.handler == null || !this.handlerMethod.equals(invoked)) {
			return false;
		}
		this.reached = true;
		return true;
	}

	/** Whether the handler method was called; Spring MVC may answer before it is. */
	boolean isReached() {
		return this.reached;
	}

	/** Records the claim this request took; it is settled once the response is final. */
	void claimed(Claim claim) {
		this.claim = claim;
	}

	/** Whether a claim waits to be settled. */
	boolean hasClaim() {
		return this.claim != null;
	}

	/**
	 * Opens the scope in which the handler runs with this request's claim, or a scope that
	 * does nothing when the request holds none.
	 * @return the scope, to close once the handler returned or threw
	 */
	IdempotencyStore.Execution running() {
		Claim held = this.claim;
		return (held != null) ? held.claim().running(held.method().ttl()) : IdempotencyStore.Execution.NONE;
	}

	/** Takes the claim to settle it; later calls return {@code null}. */
	Claim takeClaim() {
		Claim taken = this.claim;
		this.claim = null;
		return taken;
	}

	/** Keeps the observation of this request's call until it is settled. */
	void observe(Observation observation) {
		this.observation = observation;
	}

	/** @return the observation of this request's call, a no-op one when there is none */
	Observation observation() {
		return this.observation;
	}

	/** Stops the observation of this request's call; later calls do nothing. */
	void endObservation() {
		Observation ended = this.observation;
		this.observation = Observation.NOOP;
		ended.stop();
	}

	Reply reply() {
		return this.reply;
	}

	/** Answers the request with {@code reply} instead of what the handler produces. */
	void replyWith(Reply reply) {
		this.reply = reply;
	}

	/**
	 * Buffers the error page the container renders after the handler sent an error, so the
	 * claim is settled with the response the client really receives.
	 */
	ServletBufferingResponse bufferErrorPage(HttpServletResponse errorPageResponse) {
		this.response = new ServletBufferingResponse(errorPageResponse);
		this.response.startBuffering();
		return this.response;
	}

	/**
	 * A key this request claimed and still has to complete or release.
	 * @param claim the claim in the store
	 * @param method the idempotent method
	 * @param headersBefore the response headers before the handler ran
	 */
	record Claim(ClaimSequence.Claim claim, IdempotentHandler method, Map<String, List<String>> headersBefore) {
	}

	/** A response the starter writes itself instead of the handler's. */
	@FunctionalInterface
	interface Reply {

		void writeTo(HttpServletResponse response) throws IOException;

	}

}
