package io.github.idempotency.web;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.function.Supplier;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.core.IdempotentAdvisor;
import jakarta.servlet.http.HttpServletRequest;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Applies {@link io.github.idempotency.Idempotent @Idempotent} around Spring MVC handler
 * methods, after Spring MVC has converted, validated and authorized the request, and hands the
 * decision to {@link IdempotencyDecider}.
 *
 * <p>The annotation is found the way Spring MVC finds mapping annotations: on the method, on
 * the interfaces it implements and on the superclass methods it overrides. Its order is
 * configurable; by default it runs outside transactional and most other advice, so a
 * transaction has committed before the response is stored.
 */
public final class IdempotencyAspect extends IdempotentAdvisor {

	private final Supplier<IdempotencyDecider> decider;

	/**
	 * Creates the aspect.
	 * @param decider decides what happens to each request, looked up on first use
	 * @param order the order of this aspect among other advice
	 */
	public IdempotencyAspect(ObjectProvider<IdempotencyDecider> decider, int order) {
		super(false, order);
		Assert.notNull(decider, "decider must not be null");
		this.decider = SingletonSupplier.of(decider::getObject);
	}

	/**
	 * Runs the method unless the starter answers for it. Only the call Spring MVC makes to the
	 * request's handler is decided; any other call to an annotated method runs as it is.
	 * @param invocation the method call
	 * @return what the method returned; when the starter answers, {@code null} or the zero value
	 * of a primitive, which the filter replaces with its answer
	 * @throws Throwable whatever the method throws
	 */
	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		HttpServletRequest request = IdempotencyExchange.currentRequest();
		IdempotencyExchange exchange = (request != null) ? IdempotencyExchange.of(request) : null;
		IdempotentMethod method = (exchange != null) ? exchange.decisionFor(invoked(invocation, exchange)) : null;
		if (method == null) {
			return invocation.proceed();
		}
		if (this.decider.get().decide(exchange, method, request)) {
			try (IdempotencyStore.Execution running = exchange.running()) {
				return invocation.proceed();
			}
		}
		return placeholder(invocation.getMethod().getReturnType());
	}

	/**
	 * The method called, as Spring MVC's handler method names it: the invocation's own method
	 * when it is already that (a class proxy), otherwise resolved on the target class.
	 */
	private static Method invoked(MethodInvocation invocation, IdempotencyExchange exchange) {
		Method method = invocation.getMethod();
		return exchange.isHandlerMethod(method) ? method : handlerMethod(invocation);
	}

	private static Method handlerMethod(MethodInvocation invocation) {
		Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis()) : null;
		return BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass));
	}

	private static Object placeholder(Class<?> returnType) {
		if (returnType.isPrimitive() && returnType != void.class) {
			return Array.get(Array.newInstance(returnType, 1), 0);
		}
		return (returnType == HttpHeaders.class) ? new HttpHeaders() : null;
	}

}
