package io.github.idempotency.internal.http;

import java.lang.reflect.Method;
import java.time.Duration;

import io.github.idempotency.Idempotent;
import io.github.idempotency.internal.aop.IdempotentAnnotations;

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
 * @param ttl how long the finished response is kept
 * @param lockTimeout how long an unfinished request holds its key
 * @param required whether a request without a key is rejected
 * @param readsBody whether the method takes the request body ({@code @RequestBody} or
 * {@code HttpEntity}), which is then read ahead and fingerprinted
 */
public record IdempotentHandler(String endpoint, Duration ttl, Duration lockTimeout, boolean required,
		boolean readsBody) {

	/**
	 * Resolves the settings of a handler method.
	 * @param method the method
	 * @param idempotent its annotation
	 * @param defaultTtl the TTL when the annotation sets none
	 * @param defaultLockTimeout the lock timeout when the annotation sets none
	 * @return the settings
	 */
	static IdempotentHandler of(Method method, Idempotent idempotent, Duration defaultTtl,
			Duration defaultLockTimeout) {
		return new IdempotentHandler(
				ClassUtils.getUserClass(method.getDeclaringClass()).getSimpleName() + "#" + method.getName(),
				IdempotentAnnotations.duration(method, "ttl", idempotent.ttl(), defaultTtl),
				IdempotentAnnotations.duration(method, "lockTimeout", idempotent.lockTimeout(), defaultLockTimeout),
				idempotent.required(), readsBody(method));
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
