package io.github.idempotency.internal.http;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.github.idempotency.Idempotent;
import io.github.idempotency.internal.aop.IdempotentAnnotations;
import io.github.idempotency.internal.aop.IdempotentDurations;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.Assert;
import org.springframework.web.method.HandlerMethod;

/**
 * The settings of every {@code @Idempotent} handler method of one web door (Spring MVC or
 * WebFlux), resolved once at start-up, where start-up stops when a method cannot be made
 * idempotent: a response that cannot be stored and replayed (each door says which), a key
 * expression on a handler (it takes its key from the request header), a method that is no
 * handler and has no key (it has no request to take a key from), or a malformed duration.
 */
public abstract class IdempotentHandlers implements SmartInitializingSingleton {

	private final Map<Method, Optional<IdempotentHandler>> methods = new ConcurrentHashMap<>();

	private final IdempotentDurations defaults;

	private final ListableBeanFactory beanFactory;

	private final String framework;

	/**
	 * Creates the registry.
	 * @param defaults the durations of methods that do not set their own
	 * @param beanFactory the beans searched at start-up for annotated methods that are no
	 * handler
	 * @param framework the web framework's name, for messages
	 */
	protected IdempotentHandlers(IdempotentDurations defaults, ListableBeanFactory beanFactory, String framework) {
		Assert.notNull(defaults, "defaults must not be null");
		Assert.notNull(beanFactory, "beanFactory must not be null");
		this.defaults = defaults;
		this.beanFactory = beanFactory;
		this.framework = framework;
	}

	/**
	 * @return every handler method the door's handler mappings map
	 */
	protected abstract Stream<HandlerMethod> handlerMethods();

	/**
	 * Why the response of an {@code @Idempotent} handler method cannot be stored and
	 * replayed.
	 * @param handlerMethod the handler method
	 * @return the reason, or {@code null} when it can
	 */
	protected abstract @Nullable String whyNotReplayable(HandlerMethod handlerMethod);

	@Override
	public final void afterSingletonsInstantiated() {
		Set<Method> handlers = new HashSet<>();
		handlerMethods().forEach((handlerMethod) -> {
			handlers.add(handlerMethod.getMethod());
			Idempotent idempotent = IdempotentAnnotations.find(handlerMethod.getMethod());
			if (idempotent != null && IdempotentAnnotations.hasKeyExpression(idempotent)) {
				throw new BeanInitializationException("@Idempotent(key = \"" + idempotent.key() + "\") on "
						+ describe(handlerMethod.getMethod()) + ": a " + this.framework + " handler method takes its "
						+ "key from the request's idempotency key header, never from key; remove key here, or put "
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
	 * Stops start-up when a bean has an {@code @Idempotent} method without a key
	 * expression that the web framework does not map: off the web there is no request to
	 * take a key from.
	 */
	private void rejectMethodsThatAreNoHandlers(Set<Method> handlers) {
		IdempotentAnnotations.forEachAnnotatedMethod(this.beanFactory, (name, userType, method, idempotent) -> {
			if (!IdempotentAnnotations.hasKeyExpression(idempotent)
					&& !handlers.contains(invocable(method, userType))) {
				throw new BeanInitializationException("@Idempotent method " + describe(method) + " of bean '" + name
						+ "' is not a " + this.framework + " handler method and has no key: off the web, say where "
						+ "the key comes from with a SpEL expression over the arguments, e.g. "
						+ "@Idempotent(key = \"#event.id\"); on a controller, map the method");
			}
		});
	}

	/**
	 * The method as the web framework registers it as a handler, or {@code null} if it
	 * cannot be one.
	 */
	private static @Nullable Method invocable(Method method, Class<?> type) {
		try {
			return AopUtils.selectInvocableMethod(method, type);
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

	/**
	 * Returns the settings of a handler method, resolved at start-up (or on first use for
	 * a handler registered later), or {@code null} when the method is not idempotent.
	 * @param method the handler method
	 * @return the resolved settings, or {@code null}
	 */
	public final @Nullable IdempotentHandler find(Method method) {
		Optional<IdempotentHandler> resolved = this.methods.get(method);
		if (resolved == null) {
			resolved = this.methods.computeIfAbsent(method, (m) -> {
				Idempotent idempotent = IdempotentAnnotations.find(m);
				return (idempotent != null && !IdempotentAnnotations.hasKeyExpression(idempotent))
						? Optional.of(resolve(m, idempotent)) : Optional.empty();
			});
		}
		return resolved.orElse(null);
	}

	private IdempotentHandler resolve(Method method, Idempotent idempotent) {
		return IdempotentHandler.of(method, idempotent, this.defaults);
	}

	/**
	 * Names a method in a start-up message.
	 * @param method the method
	 * @return {@code Type.method(Parameters)}
	 */
	protected static String describe(Method method) {
		return IdempotentAnnotations.describe(method);
	}

}
