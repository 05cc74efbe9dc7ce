package io.github.idempotency.internal.reactive;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;

/**
 * Where a request goes on once the store answered on a thread that must not run handlers
 * (the store client's own, or the door's bounded scheduler for a blocking store): on
 * Reactor Netty, back on the event loop that serves the request's connection, where
 * WebFlux runs the handler without the starter, at the cost of one task in that loop's
 * queue; on any other server, or a request Reactor Netty does not serve, on the given
 * scheduler.
 */
final class ReactiveResumption {

	private final Scheduler otherwise;

	private final boolean reactorNetty;

	private final Map<Executor, Scheduler> eventLoops = new ConcurrentHashMap<>();

	/**
	 * Creates the resumption.
	 * @param otherwise where requests go on that no Reactor Netty event loop serves
	 */
	ReactiveResumption(Scheduler otherwise) {
		this(otherwise, ClassUtils.isPresent("reactor.netty.Connection", ReactiveResumption.class.getClassLoader()));
	}

	ReactiveResumption(Scheduler otherwise, boolean reactorNetty) {
		this.otherwise = otherwise;
		this.reactorNetty = reactorNetty;
	}

	/**
	 * @param request the request that goes on
	 * @return where it goes on
	 */
	Scheduler of(ServerHttpRequest request) {
		Executor eventLoop = this.reactorNetty ? ReactorNettyEventLoops.serving(request) : null;
		if (eventLoop == null) {
			return this.otherwise;
		}
		Scheduler known = this.eventLoops.get(eventLoop);
		return (known != null) ? known : this.eventLoops.computeIfAbsent(eventLoop, ReactiveResumption::onto);
	}

	/**
	 * A scheduler that hands each task to the event loop as it is, without the futures an
	 * {@code ExecutorService}-backed scheduler wraps it in.
	 */
	private static Scheduler onto(Executor eventLoop) {
		return Schedulers.fromExecutor(eventLoop::execute);
	}

	/** Reactor Netty's side, loaded only when Reactor Netty is on the class path. */
	private static final class ReactorNettyEventLoops {

		static @Nullable Executor serving(ServerHttpRequest request) {
			Object nativeRequest;
			try {
				nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			}
			catch (IllegalArgumentException | IllegalStateException ex) {
				// a request of no server, or of a mock
				return null;
			}
			return (nativeRequest instanceof reactor.netty.Connection connection) ? connection.channel().eventLoop()
					: null;
		}

	}

}
