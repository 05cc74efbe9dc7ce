package io.github.idempotency.web;

import java.io.OutputStream;
import java.io.Writer;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;

import io.github.idempotency.Idempotent;
import io.github.idempotency.core.IdempotentAnnotations;
import jakarta.servlet.ServletResponse;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedMethod;
import org.springframework.http.HttpEntity;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.context.request.async.WebAsyncTask;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Resolves the settings of every {@code @Idempotent} handler method once, at start-up, and
 * stops start-up when a method cannot be made idempotent: a response that is streamed,
 * produced asynchronously or written to the raw servlet response cannot be stored and replayed,
 * a method that is no Spring MVC handler has no request to take a key from, and a malformed
 * duration is a typo to fix before the first request.
 */
public final class IdempotentMethods implements SmartInitializingSingleton {

	private static final Class<?>[] UNREPLAYABLE_TYPES = { ResponseBodyEmitter.class, StreamingResponseBody.class,
			Callable.class, DeferredResult.class, WebAsyncTask.class, Future.class,
			java.util.concurrent.CompletionStage.class, java.util.concurrent.Flow.Publisher.class };

	private final Map<Method, Optional<IdempotentMethod>> methods = new ConcurrentHashMap<>();

	private final Duration defaultTtl;

	private final Duration defaultLockTimeout;

	private final ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings;

	private final ListableBeanFactory beanFactory;

	/**
	 * Creates the registry.
	 * @param defaultTtl the TTL of methods that do not set one
	 * @param defaultLockTimeout the lock timeout of methods that do not set one
	 * @param handlerMappings the handler mappings whose methods are checked at start-up
	 * @param beanFactory the beans searched at start-up for annotated methods that are no handler
	 */
	public IdempotentMethods(Duration defaultTtl, Duration defaultLockTimeout,
			ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings, ListableBeanFactory beanFactory) {
		Assert.isTrue(IdempotentAnnotations.isPositive(defaultTtl), "idempotency.ttl must be positive");
		Assert.isTrue(IdempotentAnnotations.isPositive(defaultLockTimeout), "idempotency.lock-timeout must be positive");
		Assert.notNull(beanFactory, "beanFactory must not be null");
		this.defaultTtl = defaultTtl;
		this.defaultLockTimeout = defaultLockTimeout;
		this.handlerMappings = handlerMappings;
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Set<Method> handlers = new HashSet<>();
		this.handlerMappings.orderedStream()
			.flatMap((mapping) -> mapping.getHandlerMethods().values().stream())
			.forEach((handlerMethod) -> {
				handlers.add(handlerMethod.getMethod());
				Idempotent idempotent = IdempotentAnnotations.find(handlerMethod.getMethod());
				if (idempotent != null && IdempotentAnnotations.hasKeyExpression(idempotent)) {
					throw new BeanInitializationException("@Idempotent(key = \"" + idempotent.key() + "\") on "
							+ describe(handlerMethod.getMethod()) + ": a Spring MVC handler method takes its key from "
							+ "the request's idempotency key header, never from key; remove key here, or put "
							+ "@Idempotent(key = ...) on the service method the handler calls");
				}
				if (idempotent != null) {
					String problem = whyNotReplayable(handlerMethod);
					if (problem != null) {
						throw new BeanInitializationException("@Idempotent method " + describe(handlerMethod.getMethod())
								+ " cannot be made idempotent: " + problem);
					}
					this.methods.put(handlerMethod.getMethod(),
							Optional.of(resolve(handlerMethod.getMethod(), idempotent)));
				}
			});
		rejectMethodsThatAreNoHandlers(handlers);
	}

	/**
	 * Stops start-up when a bean has an {@code @Idempotent} method without a key expression that
	 * Spring MVC does not map: off the web there is no request to take a key from.
	 */
	private void rejectMethodsThatAreNoHandlers(Set<Method> handlers) {
		IdempotentAnnotations.forEachAnnotatedMethod(this.beanFactory, (name, userType, method, idempotent) -> {
			if (!IdempotentAnnotations.hasKeyExpression(idempotent) && !handlers.contains(invocable(method, userType))) {
				throw new BeanInitializationException("@Idempotent method " + describe(method) + " of bean '" + name
						+ "' is not a Spring MVC handler method and has no key: off the web, say where the key comes "
						+ "from with a SpEL expression over the arguments, e.g. @Idempotent(key = \"#event.id\"); "
						+ "on a controller, map the method");
			}
		});
	}

	/** The method as Spring MVC registers it as a handler, or {@code null} if it cannot be one. */
	private static Method invocable(Method method, Class<?> type) {
		try {
			return AopUtils.selectInvocableMethod(method, type);
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

	/**
	 * Finds {@code @Idempotent} on a method the way Spring MVC finds mapping annotations: on the
	 * method itself, on the interface methods it implements and on the superclass methods it
	 * overrides. Start-up checks and the aspect's pointcut both use this.
	 * @param method the method
	 * @return the merged annotation, or {@code null}
	 */
	static Idempotent annotationOf(Method method) {
		return IdempotentAnnotations.find(method);
	}

	/**
	 * Returns the settings of a handler method, resolved at start-up (or on first use for a
	 * handler registered later), or {@code null} when the method is not idempotent.
	 * @param method the handler method
	 * @return the resolved settings, or {@code null}
	 */
	IdempotentMethod find(Method method) {
		Optional<IdempotentMethod> resolved = this.methods.get(method);
		if (resolved == null) {
			resolved = this.methods.computeIfAbsent(method, (m) -> {
				Idempotent idempotent = annotationOf(m);
				return (idempotent != null && !IdempotentAnnotations.hasKeyExpression(idempotent))
						? Optional.of(resolve(m, idempotent)) : Optional.empty();
			});
		}
		return resolved.orElse(null);
	}

	private IdempotentMethod resolve(Method method, Idempotent idempotent) {
		return new IdempotentMethod(ClassUtils.getUserClass(method.getDeclaringClass()).getSimpleName() + "#"
				+ method.getName(), IdempotentAnnotations.duration(method, "ttl", idempotent.ttl(), this.defaultTtl),
				IdempotentAnnotations.duration(method, "lockTimeout", idempotent.lockTimeout(), this.defaultLockTimeout),
				idempotent.required(), readsBody(method));
	}

	/**
	 * Whether Spring MVC hands the method the request body: a {@code @RequestBody} parameter
	 * (also when declared on an interface the method implements) or an {@code HttpEntity}.
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

	static String whyNotReplayable(HandlerMethod handlerMethod) {
		MethodParameter returnType = handlerMethod.getReturnType();
		Class<?> type = returnType.getParameterType();
		if (HttpEntity.class.isAssignableFrom(type)) {
			type = ResolvableType.forMethodParameter(returnType).as(HttpEntity.class).getGeneric(0).toClass();
		}
		for (Class<?> unreplayable : UNREPLAYABLE_TYPES) {
			if (unreplayable.isAssignableFrom(type)) {
				return "it returns " + type.getSimpleName()
						+ ", a streamed or asynchronous response that cannot be stored and replayed; return a body or a ResponseEntity";
			}
		}
		if (ReactiveAdapterRegistry.getSharedInstance().getAdapter(type) != null) {
			return "it returns the reactive type " + type.getSimpleName()
					+ ", which cannot be stored and replayed; return a body or a ResponseEntity";
		}
		if (type == void.class || type == Void.class) {
			for (MethodParameter parameter : handlerMethod.getMethodParameters()) {
				Class<?> parameterType = parameter.getParameterType();
				if (ServletResponse.class.isAssignableFrom(parameterType)
						|| OutputStream.class.isAssignableFrom(parameterType)
						|| Writer.class.isAssignableFrom(parameterType)) {
					return "it returns void and writes to the raw servlet response (" + parameterType.getSimpleName()
							+ " parameter), which cannot be stored and replayed; return a body or a ResponseEntity";
				}
			}
		}
		return null;
	}

	private static String describe(Method method) {
		return IdempotentAnnotations.describe(method);
	}

}
