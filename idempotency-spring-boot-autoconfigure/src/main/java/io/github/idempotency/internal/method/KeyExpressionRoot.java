package io.github.idempotency.internal.method;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/**
 * The {@code #root} object of key and fingerprint expressions, as Spring Cache's: the
 * call's arguments, the method and the bean it is called on.
 */
public final class KeyExpressionRoot {

	private final Method method;

	private final Object[] args;

	private final @Nullable Object target;

	private final Class<?> targetClass;

	KeyExpressionRoot(Method method, Object[] args, @Nullable Object target, Class<?> targetClass) {
		this.method = method;
		this.args = args;
		this.target = target;
		this.targetClass = targetClass;
	}

	/**
	 * @return the method called
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * @return the method's name
	 */
	public String getMethodName() {
		return this.method.getName();
	}

	/**
	 * @return the call's arguments
	 */
	public Object[] getArgs() {
		return this.args;
	}

	/**
	 * @return the bean the method is called on
	 */
	public @Nullable Object getTarget() {
		return this.target;
	}

	/**
	 * @return the bean's class
	 */
	public Class<?> getTargetClass() {
		return this.targetClass;
	}

}
