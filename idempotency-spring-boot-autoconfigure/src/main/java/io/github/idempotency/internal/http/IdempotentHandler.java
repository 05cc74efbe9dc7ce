package io.github.idempotency.internal.http;

import java.lang.reflect.Method;
import java.time.Duration;

import io.github.idempotency.Idempotent;
import io.github.idempotency.internal.aop.IdempotentDurations;

import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedMethod;
import org.springframework.http.HttpEntity;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.RequestBody;

/**
 * The resolved settings of one {@code @Idempotent} handler method, computed once at
 * start-up.
 *
 * @param endpoint the handler method as {@code Controller#method}, used in logs and
 * metrics
 * @param durations its TTL, lock timeout and wait for a call in flight
 * @param required whether a request without a key is rejected
 * @param readsBody whether the method takes the request body ({@code @RequestBody} or
 * {@code HttpEntity}), which is then read ahead and fingerprinted
 */
public record IdempotentHandler(String endpoint, IdempotentDurations durations, boolean required, boolean readsBody) {

	/**
	 * Resolves the settings of a handler method.
	 * @param method the method
	 * @param idempotent its annotation
	 * @param defaults the durations when the annotation sets none
	 * @return the settings
	 */
	static IdempotentHandler of(Method method, Idempotent idempotent, IdempotentDurations defaults) {
		return new IdempotentHandler(
				ClassUtils.getUserClass(method.getDeclaringClass()).getSimpleName() + "#" + method.getName(),
				defaults.of(method, idempotent), idempotent.required(), readsBody(method));
	}

	/**
	 * @return how long the finished response is kept
	 */
	public Duration ttl() {
		return this.durations.ttl();
	}

	/**
	 * @return how long an unfinished request holds its key without a renewal
	 */
	public Duration lockTimeout() {
		return this.durations.lockTimeout();
	}

	/**
	 * @return how long a duplicate of a request in flight waits for it
	 */
	public Duration waitForInProgress() {
		return this.durations.waitForInProgress();
	}

	/**
	 * The same settings with other durations.
	 * @param durations the durations
	 * @return new settings
	 */
	public IdempotentHandler with(IdempotentDurations durations) {
		return new IdempotentHandler(this.endpoint, durations, this.required, this.readsBody);
	}

	/**
	 * The same settings, letting requests without a key through unprotected.
	 * @return new settings
	 */
	public IdempotentHandler keyOptional() {
		return new IdempotentHandler(this.endpoint, this.durations, false, this.readsBody);
	}

	/**
	 * Whether the web framework hands the method the request body: a {@code @RequestBody}
	 * parameter (also when declared on an interface the method implements) or an
	 * {@code HttpEntity}.
	 */
	private static boolean readsBody(Method method) {
		for (MethodParameter parameter : new AnnotatedMethod(method).getMethodParameters()) {
			if (parameter.hasParameterAnnotation(RequestBody.class)
					|| HttpEntity.class.isAssignableFrom(parameter.getParameterType())) {
				return true;
			}
		}
		return false;
	}

}
