package io.github.idempotency.internal.method;

import java.lang.reflect.Method;
import java.time.Duration;

import io.github.idempotency.Idempotent;
import io.github.idempotency.internal.aop.IdempotentAnnotations;
import io.github.idempotency.internal.aop.IdempotentDurations;
import io.github.idempotency.internal.fingerprint.CanonicalJson;
import io.github.idempotency.internal.fingerprint.Sha256;
import io.github.idempotency.method.ReturnValueCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.core.KotlinDetector;
import org.springframework.util.ClassUtils;

/**
 * The settings of one {@code @Idempotent(key = ...)} method on one bean class, resolved
 * and checked once: its key and fingerprint expressions, scope, durations and how its
 * return values are stored.
 */
final class KeyedMethod {

	/** What Spring AOP needs to advise a suspend function. */
	private static final String COROUTINES_REACTOR = "kotlinx.coroutines.reactor.MonoKt";

	/** The fingerprint of every call of a method without a fingerprint expression. */
	private static final String NO_FINGERPRINT = Sha256.create().field("no fingerprint").hex();

	private final String endpoint;

	private final String scope;

	private final KeyExpression key;

	private final @Nullable KeyExpression fingerprint;

	private final IdempotentDurations durations;

	private final ReturnValues returnValues;

	private final @Nullable ReturnValueCodec codec;

	private final boolean suspending;

	private KeyedMethod(String endpoint, String scope, KeyExpression key, @Nullable KeyExpression fingerprint,
			IdempotentDurations durations, ReturnValues returnValues, @Nullable ReturnValueCodec codec,
			boolean suspending) {
		this.suspending = suspending;
		this.endpoint = endpoint;
		this.scope = scope;
		this.key = key;
		this.fingerprint = fingerprint;
		this.durations = durations;
		this.returnValues = returnValues;
		this.codec = codec;
	}

	/**
	 * Resolves and checks a method.
	 * @param method the method as the bean class declares it
	 * @param targetClass the bean's class
	 * @param idempotent its annotation, with a key expression
	 * @param defaults the global durations
	 * @param codec the codec for return values that are not plain, or {@code null}
	 * @param beanFactory resolves bean references in expressions
	 * @return the settings
	 * @throws BeanInitializationException naming the method when it cannot be made
	 * idempotent
	 */
	static KeyedMethod resolve(Method method, Class<?> targetClass, Idempotent idempotent, IdempotentDurations defaults,
			@Nullable ReturnValueCodec codec, BeanFactory beanFactory) {
		Class<?> userClass = ClassUtils.getUserClass(targetClass);
		KeyExpression key = KeyExpression.parse("key", idempotent.key(), method, beanFactory);
		KeyExpression fingerprint = idempotent.fingerprint().isBlank() ? null
				: KeyExpression.parse("fingerprint", idempotent.fingerprint(), method, beanFactory);
		boolean suspending = KotlinDetector.isSuspendingFunction(method);
		if (suspending && !ClassUtils.isPresent(COROUTINES_REACTOR, method.getDeclaringClass().getClassLoader())) {
			throw new BeanInitializationException("@Idempotent method " + IdempotentAnnotations.describe(method)
					+ " is a suspend function, which Spring AOP advises through Reactor: add "
					+ "org.jetbrains.kotlinx:kotlinx-coroutines-reactor");
		}
		ReturnValues returnValues;
		try {
			returnValues = ReturnValues.of(method, userClass, codec);
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException("@Idempotent method " + IdempotentAnnotations.describe(method)
					+ " cannot be made idempotent: " + ex.getMessage());
		}
		String scope = idempotent.scope().isBlank() ? userClass.getName() + "#" + method.getName()
				: idempotent.scope().strip();
		return new KeyedMethod(userClass.getSimpleName() + "#" + method.getName(), scope, key, fingerprint,
				defaults.of(method, idempotent), returnValues, codec, suspending);
	}

	/**
	 * Whether the method is a Kotlin {@code suspend} function: its last argument is the
	 * compiler's {@code Continuation}, and Spring AOP hands its result to advice as a
	 * {@code Mono}.
	 */
	boolean isSuspending() {
		return this.suspending;
	}

	/**
	 * @return the method as {@code Type#method}, for logs and metrics
	 */
	String endpoint() {
		return this.endpoint;
	}

	/**
	 * @return the space its keys live in
	 */
	String scope() {
		return this.scope;
	}

	Duration ttl() {
		return this.durations.ttl();
	}

	Duration lockTimeout() {
		return this.durations.lockTimeout();
	}

	Duration waitForInProgress() {
		return this.durations.waitForInProgress();
	}

	ReturnValues returnValues() {
		return this.returnValues;
	}

	/**
	 * The key of one call.
	 * @throws IllegalArgumentException naming the method and the expression when it
	 * yields {@code null} or a blank value
	 */
	String key(@Nullable Object target, Class<?> targetClass, Object[] args) {
		Object value = this.key.evaluate(target, targetClass, args);
		String key = (value != null) ? String.valueOf(value) : null;
		if (key == null || key.isBlank()) {
			throw new IllegalArgumentException(this.key.describe() + " yielded "
					+ ((key == null) ? "null" : "a blank key") + " for this call; the method did not run");
		}
		return key;
	}

	/**
	 * The fingerprint of one call: the same value of the fingerprint expression, the same
	 * fingerprint.
	 */
	String fingerprint(@Nullable Object target, Class<?> targetClass, Object[] args) {
		if (this.fingerprint == null) {
			return NO_FINGERPRINT;
		}
		Object value = this.fingerprint.evaluate(target, targetClass, args);
		Sha256 sha = Sha256.create();
		if (value == null) {
			return sha.field("null").hex();
		}
		if (value instanceof CharSequence || ClassUtils.isPrimitiveOrWrapper(value.getClass())) {
			return sha.field("text").field(String.valueOf(value)).hex();
		}
		if (value instanceof byte[] bytes) {
			return sha.field("bytes").field(bytes).hex();
		}
		if (this.codec == null) {
			throw new IllegalArgumentException(this.fingerprint.describe() + " yielded a " + value.getClass().getName()
					+ ", which needs a JSON mapper (or a ReturnValueCodec) to compare");
		}
		byte[] json = this.codec.encode(value, value.getClass());
		byte[] canonical = CanonicalJson.canonicalize(json);
		return sha.field("json").field((canonical != null) ? canonical : json).hex();
	}

}
