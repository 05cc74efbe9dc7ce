package io.github.idempotency.testapp;

import java.util.concurrent.atomic.AtomicInteger;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;

/**
 * An application aspect around every method of {@link Audited} beans, so those beans are
 * CGLIB proxies whatever the idempotency starter does.
 */
@Aspect
public class AuditAspect {

	private final AtomicInteger calls = new AtomicInteger();

	@Around("@within(io.github.idempotency.testapp.Audited)")
	public Object audit(ProceedingJoinPoint joinPoint) throws Throwable {
		this.calls.incrementAndGet();
		return joinPoint.proceed();
	}

	/**
	 * @return how many calls went through the aspect
	 */
	public int calls() {
		return this.calls.get();
	}

}
