package io.github.idempotency.internal.servlet;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.github.idempotency.internal.claim.Decision;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * A duplicate request waiting for the one in flight with its key, holding no thread: the
 * request is put into asynchronous mode and its thread returns to the container. When the
 * wait's decision arrives, on a thread of the wait or of the store client, the request is
 * dispatched again, and on that dispatch {@link ServletDecider#resume} applies the
 * decision: it runs the handler, or the starter answers. Should the container time the
 * request out first, the request is answered {@code 409}; should it fail (the client went
 * away), the wait stops. A claim that arrives after either is given back.
 */
final class ServletWait implements AsyncListener {

	/** How much longer than the wait the container gives the request. */
	private static final Duration CONTAINER_MARGIN = Duration.ofSeconds(10);

	private static final Decision ABANDONED = Decision.Refused.inProgress();

	private final Decision.Wait wait;

	private final AsyncContext async;

	private final AtomicReference<@Nullable Decision> arrived = new AtomicReference<>();

	private ServletWait(Decision.Wait wait, AsyncContext async) {
		this.wait = wait;
		this.async = async;
	}

	/**
	 * Puts the request into asynchronous mode until the wait's decision arrives.
	 * @param request the request, which must support asynchronous mode
	 * @param wait the wait
	 * @param longest how long the wait lasts at most
	 * @return the started wait
	 */
	static ServletWait start(HttpServletRequest request, Decision.Wait wait, Duration longest) {
		AsyncContext async = request.startAsync();
		async.setTimeout(longest.plus(CONTAINER_MARGIN).toMillis());
		ServletWait waiting = new ServletWait(wait, async);
		async.addListener(waiting);
		wait.decision().thenAccept(waiting::arrive);
		return waiting;
	}

	/**
	 * @return the decision the request was dispatched again with
	 * @throws IllegalStateException before it arrived
	 */
	Decision decision() {
		Decision decision = this.arrived.get();
		if (decision == null || decision == ABANDONED) {
			throw new IllegalStateException("The request was dispatched again before its wait ended");
		}
		return decision;
	}

	private void arrive(Decision decision) {
		if (!this.arrived.compareAndSet(null, decision)) {
			giveBack(decision);
			return;
		}
		try {
			this.async.dispatch();
		}
		catch (IllegalStateException ex) {
			giveBack(decision);
		}
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		this.wait.stop();
		arrive(Decision.Refused.inProgress());
	}

	@Override
	public void onError(AsyncEvent event) {
		if (this.arrived.compareAndSet(null, ABANDONED)) {
			this.wait.stop();
		}
	}

	@Override
	public void onComplete(AsyncEvent event) {
		onError(event);
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	private static void giveBack(Decision decision) {
		if (decision instanceof Decision.Run run) {
			run.claim().withdraw("its request ended while it waited");
		}
	}

}
