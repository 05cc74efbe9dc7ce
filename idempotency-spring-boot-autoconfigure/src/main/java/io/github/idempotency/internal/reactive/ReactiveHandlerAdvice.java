package io.github.idempotency.internal.reactive;

import java.lang.reflect.Method;

import io.github.idempotency.internal.aop.IdempotentAdvisor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;

/**
 * Tells whether WebFlux called an {@code @Idempotent} handler method for a claimed
 * request, or answered before it (an unreadable or invalid body, a missing parameter), in
 * which case the request gives its key back unstored and a corrected retry runs. WebFlux
 * resolves the arguments of a request whose body was read ahead as the handler adapter
 * subscribes, so the call happens within that subscription on that thread: the adapter
 * names the request for the subscription's duration ({@link #tracking}), and this advice
 * marks it when the handler method is entered. When WebFlux resolves an argument later on
 * another thread (a multipart part, a session from a remote store), the request counts as
 * reached, so its response is stored by the usual rule rather than risking a second run.
 */
public final class ReactiveHandlerAdvice extends IdempotentAdvisor {

	private final ThreadLocal<Subscription> current = new ThreadLocal<>();

	/**
	 * Creates the advice.
	 * @param order its order among other advice
	 */
	public ReactiveHandlerAdvice(int order) {
		super(false, order);
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Subscription subscription = this.current.get();
		if (subscription != null && subscription.method().equals(handlerMethod(invocation))) {
			subscription.claimed().reach();
		}
		return invocation.proceed();
	}

	private static Method handlerMethod(MethodInvocation invocation) {
		Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis()) : null;
		return BridgeMethodResolver
			.findBridgedMethod(AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass));
	}

	/**
	 * Marks the claimed request reached when its handler method is called while
	 * {@code handling} is subscribed to, or later on another thread.
	 * @param handling WebFlux's handling of the request
	 * @param method the handler method
	 * @param claimed the request's claim
	 * @return the handling, tracked
	 */
	<T> Mono<T> tracking(Mono<T> handling, Method method, ReactiveClaim claimed) {
		return new Tracked<>(handling, new Subscription(method, claimed), this.current);
	}

	private record Subscription(Method method, ReactiveClaim claimed) {
	}

	private static final class Tracked<T> extends MonoOperator<T, T> {

		private final Subscription subscription;

		private final ThreadLocal<Subscription> current;

		Tracked(Mono<T> source, Subscription subscription, ThreadLocal<Subscription> current) {
			super(source);
			this.subscription = subscription;
			this.current = current;
		}

		@Override
		public void subscribe(CoreSubscriber<? super T> actual) {
			Subscription outer = this.current.get();
			this.current.set(this.subscription);
			boolean[] terminated = { false };
			try {
				this.source.doOnTerminate(() -> terminated[0] = true).subscribe(actual);
			}
			finally {
				if (outer != null) {
					this.current.set(outer);
				}
				else {
					this.current.remove();
				}
			}
			if (!terminated[0]) {
				this.subscription.claimed().reach();
			}
		}

	}

}
