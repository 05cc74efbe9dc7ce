package io.github.idempotency.internal.servlet;

import java.lang.reflect.Method;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.aop.IdempotentAdvisor;
import jakarta.servlet.http.HttpServletRequest;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;

/**
 * Runs a Spring MVC {@link io.github.idempotency.Idempotent @Idempotent} handler method
 * within its request's claim, once Spring MVC has bound and validated its arguments, and
 * marks the request as having reached it: a claimed request that never reaches its method
 * (an invalid body, an interceptor or method security that refused it) gives its key back
 * unstored. The key itself was claimed, or the request answered, by
 * {@link ServletHandlerInterceptor} before anything was bound.
 *
 * <p>
 * The annotation is found the way Spring MVC finds mapping annotations: on the method, on
 * the interfaces it implements and on the superclass methods it overrides. Its order is
 * configurable; by default it runs outside transactional and most other advice, so a
 * transaction has committed before the response is stored.
 */
public final class ServletHandlerAdvice extends IdempotentAdvisor {

	/**
	 * Creates the aspect.
	 * @param order the order of this aspect among other advice
	 */
	public ServletHandlerAdvice(int order) {
		super(false, order);
	}

	/**
	 * Runs the method. The call Spring MVC makes to the request's handler runs within the
	 * request's claim; any other call to an annotated method runs as it is.
	 * @param invocation the method call
	 * @return what the method returned
	 * @throws Throwable whatever the method throws
	 */
	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		HttpServletRequest request = ServletExchange.currentRequest();
		ServletExchange exchange = (request != null) ? ServletExchange.of(request) : null;
		ServletExchange.Claimed claimed = (exchange != null) ? exchange.reach(invoked(invocation, exchange)) : null;
		if (claimed == null) {
			return invocation.proceed();
		}
		try (IdempotencyStore.Execution running = claimed.claim().running(claimed.handler().ttl())) {
			return invocation.proceed();
		}
	}

	/**
	 * The method called, as Spring MVC's handler method names it: the invocation's own
	 * method when it is already that (a class proxy), otherwise resolved on the target
	 * class.
	 */
	private static Method invoked(MethodInvocation invocation, ServletExchange exchange) {
		Method method = invocation.getMethod();
		return exchange.isClaimedHandler(method) ? method : handlerMethod(invocation);
	}

	private static Method handlerMethod(MethodInvocation invocation) {
		Class<?> targetClass = (invocation.getThis() != null) ? AopUtils.getTargetClass(invocation.getThis()) : null;
		return BridgeMethodResolver
			.findBridgedMethod(AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass));
	}

}
