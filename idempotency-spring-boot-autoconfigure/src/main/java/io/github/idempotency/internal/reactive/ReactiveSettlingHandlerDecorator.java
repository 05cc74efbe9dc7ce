package io.github.idempotency.internal.reactive;

import io.github.idempotency.internal.claim.ClaimSequence;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHandlerDecoratorFactory;
import org.springframework.util.Assert;

/**
 * Puts a {@link ReactiveSettlingResponse} under every exchange, before WebFlux builds it,
 * so the response a claimed request settles with is the one the client receives — also
 * when an error handler renders it. An exchange that fails or is cancelled while holding
 * a claim gives its key back.
 *
 * <p>
 * Store calls never block the event loop: a store whose asynchronous calls do not block
 * (Redis with Lettuce's shared connection or Jedis, in-memory) is called directly; any
 * other (JDBC, or the application's own) on a bounded scheduler of
 * {@value #BLOCKING_THREADS} threads and {@value #BLOCKING_QUEUE} queued calls, named
 * {@code idempotency-store}, which this bean disposes of with the application context.
 */
public final class ReactiveSettlingHandlerDecorator implements HttpHandlerDecoratorFactory, DisposableBean {

	/** Threads that call a blocking store at once. */
	public static final int BLOCKING_THREADS = 16;

	/** Calls to a blocking store that may wait for a thread. */
	public static final int BLOCKING_QUEUE = 1024;

	private final ReactiveSettler settler;

	private final ReactiveStoreCalls calls;

	private final Scheduler blockingCalls;

	/**
	 * Creates the decorator.
	 * @param settler settles claims once responses are final
	 * @param claims the claim sequence, whose store tells whether it blocks
	 */
	public ReactiveSettlingHandlerDecorator(ReactiveSettler settler, ClaimSequence claims) {
		Assert.notNull(settler, "settler must not be null");
		Assert.notNull(claims, "claims must not be null");
		this.settler = settler;
		boolean blocking = claims.isStoreBlocking();
		this.blockingCalls = blocking
				? Schedulers.newBoundedElastic(BLOCKING_THREADS, BLOCKING_QUEUE, "idempotency-store")
				: Schedulers.immediate();
		this.calls = new ReactiveStoreCalls(blocking, this.blockingCalls);
	}

	@Override
	public HttpHandler apply(HttpHandler handler) {
		return (request, response) -> {
			ReactiveSettlingResponse settling = new ReactiveSettlingResponse(response, this.settler, this.calls);
			return handler.handle(request, settling)
				.doOnError((ex) -> settling.abandon("the exchange failed"))
				.doOnCancel(() -> settling.abandon("the request was cancelled"));
		};
	}

	@Override
	public void destroy() {
		if (this.blockingCalls != Schedulers.immediate()) {
			this.blockingCalls.dispose();
		}
	}

}
