package io.github.idempotency.web;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.aspectj.lang.reflect.MethodSignature;

import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Applies {@link io.github.idempotency.Idempotent @Idempotent} to Spring MVC handler methods. It only looks up the method's
 * settings (resolved at start-up) and hands over to {@link IdempotentRequestHandler}.
 *
 * <p>Its order is configurable; by default it runs outside transactional and most other
 * advice, so a transaction has committed before the response is stored.
 */
@Aspect
public final class IdempotencyAspect implements Ordered {

	private final IdempotentRequestHandler handler;

	private final IdempotentMethods methods;

	private final int order;

	/**
	 * Creates the aspect.
	 * @param handler decides what happens to each request
	 * @param methods the resolved settings of every idempotent method
	 * @param order the order of this aspect among other advice
	 */
	public IdempotencyAspect(IdempotentRequestHandler handler, IdempotentMethods methods, int order) {
		Assert.notNull(handler, "handler must not be null");
		Assert.notNull(methods, "methods must not be null");
		this.handler = handler;
		this.methods = methods;
		this.order = order;
	}

	/**
	 * Runs an idempotent method through the handler. The pointcut is static (no argument
	 * binding), so matching costs nothing per call; the settings come from a map.
	 * @param joinPoint the method call
	 * @return what the method returned, or {@code null} when the starter answers itself
	 * @throws Throwable whatever the method throws
	 */
	@Around("@annotation(io.github.idempotency.Idempotent)")
	public Object around(ProceedingJoinPoint joinPoint) throws Throwable {
		IdempotentMethod method = this.methods.get(((MethodSignature) joinPoint.getSignature()).getMethod());
		return this.handler.handle(method, joinPoint::proceed);
	}

	@Override
	public int getOrder() {
		return this.order;
	}

}
