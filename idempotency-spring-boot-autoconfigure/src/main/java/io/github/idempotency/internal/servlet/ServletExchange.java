package io.github.idempotency.internal.servlet;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

import io.github.idempotency.internal.claim.Claim;
import io.github.idempotency.internal.http.IdempotentHandler;
import io.micrometer.observation.Observation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * One request on its way through the filter, the handler interceptor, the advice and the
 * settling step, in one of the states of {@link State}: it passes through untouched until
 * Spring MVC maps it to an {@code @Idempotent} handler method; then it is decided once
 * (answered by the starter, run without idempotency, or claimed), a claimed request is
 * marked when its method is reached, and it is settled once its response is final:
 * {@code Passing → Deciding → Answered | Unprotected | Claimed → Settled}. A duplicate of
 * a request in flight may wait for it first, in asynchronous mode:
 * {@code Deciding → Waiting → Deciding} once it is dispatched again. A claimed request
 * whose handler is asynchronous is settled on the dispatch that writes its result. Every
 * change of state checks the state it starts from. Lives in a request attribute; touched
 * by the container's threads that dispatch the request, one after the other.
 */
final class ServletExchange {

	private static final String ATTRIBUTE = ServletExchange.class.getName();

	private ServletReadAheadRequest request;

	private ServletBufferingResponse response;

	private State state = Passing.INSTANCE;

	private Observation observation = Observation.NOOP;

	private boolean asyncTimedOut;

	private ServletExchange(ServletReadAheadRequest request, ServletBufferingResponse response) {
		this.request = request;
		this.response = response;
	}

	/**
	 * Starts the exchange of a request: its body and response pass through untouched
	 * until the request turns out to be mapped to an {@code @Idempotent} handler.
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
	static @Nullable HttpServletRequest currentRequest() {
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
	 * @return the state the request is in
	 */
	State state() {
		return this.state;
	}

	/**
	 * Whether the request was decided: a request is decided once, and a handler it is
	 * forwarded to within the same request runs under the first handler's decision.
	 */
	boolean isDecided() {
		return !(this.state instanceof Passing);
	}

	/**
	 * Starts deciding a request Spring MVC mapped to an {@code @Idempotent} handler
	 * method: its response is buffered from here on, before anything of the handler is
	 * written.
	 * @param observation the observation of the request's call, stopped once it is
	 * settled
	 */
	void deciding(Observation observation) {
		expect(Passing.class);
		this.state = Deciding.INSTANCE;
		this.observation = observation;
		this.response.startBuffering();
	}

	/**
	 * The request runs without idempotency: no key on an optional one, or a failed store
	 * (fail-open).
	 */
	void unprotected() {
		this.state = decided(new Unprotected());
	}

	/**
	 * The starter answers the request itself with {@code reply}; the handler does not
	 * run.
	 */
	void answered(Reply reply) {
		this.state = decided(new Answered(reply));
	}

	/**
	 * The request waits, in asynchronous mode, for the request in flight with its key.
	 * @param waiting what it needs once it is dispatched again
	 */
	void waiting(Waiting waiting) {
		this.state = decided(waiting);
	}

	/**
	 * The request is dispatched again after its wait: the rest of the chain reads and
	 * writes the request and response of this dispatch, wrapped as on the first one, and
	 * the request is decided again.
	 * @param dispatched the request as this dispatch hands it to the filter
	 * @param response the response as this dispatch hands it to the filter
	 * @return what the wait left
	 */
	Waiting resumed(HttpServletRequest dispatched, HttpServletResponse response) {
		expect(Waiting.class);
		Waiting waiting = (Waiting) this.state;
		this.request = new ServletReadAheadRequest(dispatched);
		byte[] body = waiting.body();
		if (body != null) {
			this.request.rewind(body);
		}
		this.response = new ServletBufferingResponse(response);
		this.response.startBuffering();
		this.state = Deciding.INSTANCE;
		return waiting;
	}

	/** Whether the request waits for the request in flight with its key. */
	boolean isWaiting() {
		return this.state instanceof Waiting;
	}

	/**
	 * The request holds a claim, to settle once its response is final.
	 * @param handlerMethod the handler method Spring MVC mapped the request to
	 * @param claim the claim
	 * @param handler the handler's settings
	 * @param headersBefore the response headers before the handler ran
	 */
	void claimed(Method handlerMethod, Claim claim, IdempotentHandler handler,
			Map<String, List<String>> headersBefore) {
		this.state = decided(new Claimed(handlerMethod, claim, handler, headersBefore, false));
	}

	private <S extends State> S decided(S decided) {
		expect(Deciding.class);
		return decided;
	}

	/** Whether {@code method} is the handler method of the request's claim. */
	boolean isClaimedHandler(Method method) {
		return this.state instanceof Claimed claimed && claimed.handlerMethod().equals(method);
	}

	/**
	 * Records that the claimed handler method is being called, once Spring MVC has bound
	 * and validated its arguments.
	 * @param invoked the method being called
	 * @return the claim the call runs within when {@code invoked} is the claimed handler
	 * called for the first time; {@code null} for any other call
	 */
	@Nullable Claimed reach(Method invoked) {
		if (this.state instanceof Claimed claimed && !claimed.reached() && claimed.handlerMethod().equals(invoked)) {
			Claimed reached = claimed.reach();
			this.state = reached;
			return reached;
		}
		return null;
	}

	/**
	 * Records that the dispatch writing an asynchronous handler's result has begun.
	 * @param timedOut whether the result is Spring MVC's timeout instead of the handler's
	 */
	void asyncResultArrived(boolean timedOut) {
		expect(Claimed.class);
		this.asyncTimedOut = timedOut;
	}

	/**
	 * Whether the request's asynchronous handler did not finish within Spring MVC's
	 * asynchronous timeout, so the work it started may still be running.
	 */
	boolean asyncTimedOut() {
		return this.asyncTimedOut;
	}

	/** Whether a claim waits to be settled. */
	boolean hasClaim() {
		return this.state instanceof Claimed;
	}

	/**
	 * Ends the request's decided state, to settle it: later calls find the request
	 * settled.
	 * @return the state it was in
	 */
	State settling() {
		State settled = this.state;
		if (isDecided()) {
			this.state = Settled.INSTANCE;
		}
		return settled;
	}

	/**
	 * @return the observation of this request's call, a no-op one when there is none
	 */
	Observation observation() {
		return this.observation;
	}

	/** Stops the observation of this request's call; later calls do nothing. */
	void endObservation() {
		Observation ended = this.observation;
		this.observation = Observation.NOOP;
		ended.stop();
	}

	/**
	 * Buffers the error page the container renders after the handler sent an error, so
	 * the claim is settled with the response the client really receives.
	 */
	ServletBufferingResponse bufferErrorPage(HttpServletResponse errorPageResponse) {
		this.response = new ServletBufferingResponse(errorPageResponse);
		this.response.startBuffering();
		return this.response;
	}

	private void expect(Class<? extends State> expected) {
		if (!expected.isInstance(this.state)) {
			throw new IllegalStateException("Expected the request to be " + expected.getSimpleName() + " but it is "
					+ this.state.getClass().getSimpleName());
		}
	}

	/** Where a request is on its way through the door. */
	sealed interface State permits Passing, Deciding, Waiting, Unprotected, Answered, Claimed, Settled {

	}

	/**
	 * Not (yet) mapped to an {@code @Idempotent} handler method: everything passes
	 * through.
	 */
	static final class Passing implements State {

		static final Passing INSTANCE = new Passing();

		private Passing() {
		}

	}

	/**
	 * Mapped to an {@code @Idempotent} handler method and being decided; a request whose
	 * decision failed (an unreadable body) stays here, and its response is sent as it is.
	 */
	static final class Deciding implements State {

		static final Deciding INSTANCE = new Deciding();

		private Deciding() {
		}

	}

	/**
	 * Waits, in asynchronous mode, for the request in flight with its key.
	 *
	 * @param handlerMethod the handler method the request is mapped to
	 * @param handler the handler's settings
	 * @param pending the wait, which holds its decision once the request is dispatched
	 * again
	 * @param body the body read ahead, to read again on the next dispatch, or
	 * {@code null} when it was not read
	 */
	record Waiting(Method handlerMethod, IdempotentHandler handler, ServletWait pending,
			byte @Nullable [] body) implements State {
	}

	/** Runs without idempotency; its response is buffered and sent as it is. */
	record Unprotected() implements State {
	}

	/**
	 * The starter answers with {@code reply} instead of what the handler would produce.
	 *
	 * @param reply the answer
	 */
	record Answered(Reply reply) implements State {
	}

	/**
	 * Holds a claim, to complete or release once the response is final.
	 *
	 * @param handlerMethod the handler method the request is mapped to
	 * @param claim the claim in the store
	 * @param handler the handler's settings
	 * @param headersBefore the response headers before the handler ran
	 * @param reached whether the handler method was called; Spring MVC may answer before
	 * it is
	 */
	record Claimed(Method handlerMethod, Claim claim, IdempotentHandler handler,
			Map<String, List<String>> headersBefore, boolean reached) implements State {

		Claimed reach() {
			return new Claimed(this.handlerMethod, this.claim, this.handler, this.headersBefore, true);
		}

	}

	/** Decided and settled: nothing is left to do but send what was buffered. */
	static final class Settled implements State {

		static final Settled INSTANCE = new Settled();

		private Settled() {
		}

	}

	/** A response the starter writes itself instead of the handler's. */
	@FunctionalInterface
	interface Reply {

		void writeTo(HttpServletResponse response) throws IOException;

	}

}
