package io.github.idempotency.internal.method;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import io.github.idempotency.Idempotent;
import io.github.idempotency.internal.aop.IdempotentAnnotations;
import io.github.idempotency.internal.aop.IdempotentDurations;
import io.github.idempotency.method.ReturnValueCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodClassKey;
import org.springframework.util.Assert;

/**
 * Every {@code @Idempotent(key = ...)} method of every bean, resolved and checked at
 * start-up: a wrong key or fingerprint expression, a return value that cannot be stored
 * or a malformed duration stops start-up with a message naming the method. In an
 * application without the Spring MVC or WebFlux door, an {@code @Idempotent} method
 * without a key stops start-up too: it has nowhere to take a key from.
 */
public final class KeyedMethods implements SmartInitializingSingleton {

	private final Map<MethodClassKey, KeyedMethod> methods = new ConcurrentHashMap<>();

	private final IdempotentDurations defaults;

	private final Duration suspendingListenerWait;

	private final @Nullable ReturnValueCodec codec;

	private final ListableBeanFactory beanFactory;

	private final BooleanSupplier keylessMethodsHaveADoor;

	/**
	 * Creates the registry.
	 * @param defaults the durations of methods whose annotation sets none
	 * @param suspendingListenerWait how long a delivery to a Kotlin {@code suspend}
	 * listener waits for its key in flight when nothing else says; zero for not at all
	 * @param codec the codec for return values that are not plain, or {@code null} when
	 * the application has none
	 * @param beanFactory the beans searched at start-up
	 * @param keylessMethodsHaveADoor whether {@code @Idempotent} methods without a key
	 * are taken care of elsewhere (Spring MVC or WebFlux handler methods)
	 */
	public KeyedMethods(IdempotentDurations defaults, Duration suspendingListenerWait, @Nullable ReturnValueCodec codec,
			ListableBeanFactory beanFactory, BooleanSupplier keylessMethodsHaveADoor) {
		Assert.notNull(defaults, "defaults must not be null");
		Assert.isTrue(suspendingListenerWait != null && !suspendingListenerWait.isNegative(),
				"suspendingListenerWait must not be negative");
		Assert.notNull(beanFactory, "beanFactory must not be null");
		this.defaults = defaults;
		this.suspendingListenerWait = suspendingListenerWait;
		this.codec = codec;
		this.beanFactory = beanFactory;
		this.keylessMethodsHaveADoor = keylessMethodsHaveADoor;
	}

	@Override
	public void afterSingletonsInstantiated() {
		boolean keylessHaveADoor = this.keylessMethodsHaveADoor.getAsBoolean();
		IdempotentAnnotations.forEachAnnotatedMethod(this.beanFactory, (name, userType, method, idempotent) -> {
			if (IdempotentAnnotations.hasKeyExpression(idempotent)) {
				find(method, userType);
			}
			else if (!keylessHaveADoor) {
				throw new BeanInitializationException(
						"@Idempotent method " + IdempotentAnnotations.describe(method) + " of bean '" + name
								+ "' has no key: this application serves no Spring MVC or WebFlux requests to "
								+ "take a key header from, so say where the key comes from with a SpEL expression over "
								+ "the arguments, e.g. @Idempotent(key = \"#event.id\")");
			}
		});
	}

	/**
	 * The settings of a method called on a bean of a class, resolved on first use (at
	 * start-up for singletons).
	 * @param method the method called
	 * @param targetClass the bean's class
	 * @return the settings, or {@code null} when the method has no {@code @Idempotent}
	 * with a key
	 */
	@Nullable KeyedMethod find(Method method, Class<?> targetClass) {
		MethodClassKey cacheKey = new MethodClassKey(method, targetClass);
		KeyedMethod found = this.methods.get(cacheKey);
		if (found != null) {
			return found;
		}
		Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
		Idempotent idempotent = IdempotentAnnotations.find(specific);
		if (idempotent == null || !IdempotentAnnotations.hasKeyExpression(idempotent)) {
			return null;
		}
		return this.methods.computeIfAbsent(cacheKey,
				(k) -> KeyedMethod.resolve(specific, targetClass, idempotent,
						SuspendingListeners.defaults(specific, idempotent, this.defaults, this.suspendingListenerWait),
						this.codec, this.beanFactory));
	}

}
