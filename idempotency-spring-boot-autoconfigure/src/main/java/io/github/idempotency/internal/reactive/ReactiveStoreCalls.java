package io.github.idempotency.internal.reactive;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Turns the claim sequence's asynchronous store calls into {@code Mono}s that never block
 * the thread that subscribes: a store whose calls are non-blocking (Redis, in-memory) is
 * called where the request is, a blocking one (JDBC, or one of the application's own) on
 * a bounded scheduler of the door's own.
 */
final class ReactiveStoreCalls {

	private final boolean blocking;

	private final Scheduler blockingCalls;

	ReactiveStoreCalls(boolean blocking, Scheduler blockingCalls) {
		this.blocking = blocking;
		this.blockingCalls = blockingCalls;
	}

	/**
	 * @return whether store calls run on the door's bounded scheduler
	 */
	boolean blocking() {
		return this.blocking;
	}

	<T> Mono<T> call(Supplier<? extends CompletionStage<? extends T>> call) {
		Mono<T> called = Mono.fromCompletionStage(call);
		return this.blocking ? called.subscribeOn(this.blockingCalls) : called;
	}

}
