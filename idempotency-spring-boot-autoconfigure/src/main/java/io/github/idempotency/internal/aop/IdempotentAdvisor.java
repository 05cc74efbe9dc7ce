package io.github.idempotency.internal.aop;

import java.lang.reflect.Method;

import io.github.idempotency.Idempotent;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.Pointcut;
import org.springframework.aop.PointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.Ordered;

/**
 * The advisor of one door: advises the methods whose {@code @Idempotent} belongs to that
 * door — with a key expression (off the web) or without (Spring MVC handlers) — found as
 * {@link IdempotentAnnotations#find} finds it, in a configurable order. Every auto-proxy
 * creator applies it, also the infrastructure one that needs no AspectJ.
 */
public abstract class IdempotentAdvisor implements PointcutAdvisor, MethodInterceptor, Ordered {

	private final Pointcut pointcut;

	private final int order;

	/**
	 * Creates the advisor.
	 * @param keyExpressions whether it advises methods with a key expression, or those
	 * without
	 * @param order its order among other advice
	 */
	protected IdempotentAdvisor(boolean keyExpressions, int order) {
		this.pointcut = new DoorPointcut(keyExpressions);
		this.order = order;
	}

	@Override
	public final Pointcut getPointcut() {
		return this.pointcut;
	}

	@Override
	public final Advice getAdvice() {
		return this;
	}

	@Override
	public final int getOrder() {
		return this.order;
	}

	private static final class DoorPointcut extends StaticMethodMatcherPointcut {

		private final boolean keyExpressions;

		DoorPointcut(boolean keyExpressions) {
			this.keyExpressions = keyExpressions;
		}

		@Override
		public boolean matches(Method method, Class<?> targetClass) {
			Idempotent idempotent = IdempotentAnnotations.find(AopUtils.getMostSpecificMethod(method, targetClass));
			return idempotent != null && IdempotentAnnotations.hasKeyExpression(idempotent) == this.keyExpressions;
		}

	}

}
