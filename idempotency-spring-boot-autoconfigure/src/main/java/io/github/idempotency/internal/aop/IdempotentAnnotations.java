package io.github.idempotency.internal.aop;

import java.lang.reflect.Method;
import java.time.Duration;

import io.github.idempotency.Idempotent;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Reading {@link Idempotent @Idempotent} the same way in every door: where it is found,
 * which door it belongs to, and its durations.
 */
public final class IdempotentAnnotations {

	private IdempotentAnnotations() {
	}

	/**
	 * Finds the annotation the way Spring MVC finds mapping annotations: on the method
	 * itself, on the interface methods it implements and on the superclass methods it
	 * overrides.
	 * @param method the method
	 * @return the merged annotation, or {@code null}
	 */
	public static @Nullable Idempotent find(Method method) {
		return AnnotatedElementUtils.findMergedAnnotation(method, Idempotent.class);
	}

	/**
	 * Visits every {@code @Idempotent} method of every bean, as start-up checks do.
	 * @param beanFactory the beans
	 * @param visitor called with each bean's name, its class (not a proxy's) and each
	 * annotated method with its annotation
	 */
	public static void forEachAnnotatedMethod(ListableBeanFactory beanFactory, AnnotatedMethodVisitor visitor) {
		for (String name : beanFactory.getBeanDefinitionNames()) {
			Class<?> type = beanFactory.getType(name, false);
			if (type == null || !AnnotationUtils.isCandidateClass(type, Idempotent.class)) {
				continue;
			}
			Class<?> userType = ClassUtils.getUserClass(type);
			MethodIntrospector
				.selectMethods(userType, (MethodIntrospector.MetadataLookup<Idempotent>) IdempotentAnnotations::find)
				.forEach((method, idempotent) -> visitor.visit(name, userType, method, idempotent));
		}
	}

	/**
	 * Whether the annotation takes its key from the method's arguments (off the web)
	 * rather than from a request header.
	 * @param idempotent the annotation
	 * @return whether it has a key expression
	 */
	public static boolean hasKeyExpression(Idempotent idempotent) {
		return !idempotent.key().isBlank();
	}

	/**
	 * Resolves a duration attribute.
	 * @param method the annotated method, for the message
	 * @param attribute the attribute's name, for the message
	 * @param value its value; blank for the fallback
	 * @param fallback the global setting
	 * @return the duration
	 * @throws BeanInitializationException when the value is no positive duration
	 */
	public static Duration duration(Method method, String attribute, String value, Duration fallback) {
		if (value.isBlank()) {
			return fallback;
		}
		Duration duration = parse(method, attribute, value);
		if (!isPositive(duration)) {
			throw new BeanInitializationException(
					"@Idempotent(" + attribute + " = \"" + value + "\") on " + describe(method) + " must be positive");
		}
		return duration;
	}

	/**
	 * Resolves {@code waitForInProgress}, which may be zero (answer at once).
	 * @param method the annotated method, for the message
	 * @param value its value; blank for the fallback
	 * @param fallback the global setting
	 * @return the duration
	 * @throws BeanInitializationException when the value is no duration or negative
	 */
	static Duration waitDuration(Method method, String value, Duration fallback) {
		if (value.isBlank()) {
			return fallback;
		}
		Duration duration = parse(method, "waitForInProgress", value);
		if (duration.isNegative()) {
			throw new BeanInitializationException("@Idempotent(waitForInProgress = \"" + value + "\") on "
					+ describe(method) + " must not be negative");
		}
		return duration;
	}

	private static Duration parse(Method method, String attribute, String value) {
		try {
			return DurationStyle.detectAndParse(value.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new BeanInitializationException("@Idempotent(" + attribute + " = \"" + value + "\") on "
					+ describe(method) + " is not a duration; use for example \"30s\", \"24h\" or \"PT10M\"", ex);
		}
	}

	/**
	 * Names a method in start-up messages.
	 * @param method the method
	 * @return {@code fully.qualified.Type.method()}
	 */
	public static String describe(Method method) {
		return ClassUtils.getUserClass(method.getDeclaringClass()).getName() + "." + method.getName() + "()";
	}

	/** Receives the annotated methods of the beans. */
	@FunctionalInterface
	public interface AnnotatedMethodVisitor {

		/**
		 * Visits one annotated method.
		 * @param beanName the bean's name
		 * @param userType the bean's class
		 * @param method the method
		 * @param idempotent its merged annotation
		 */
		void visit(String beanName, Class<?> userType, Method method, Idempotent idempotent);

	}

	/**
	 * Whether a duration is positive.
	 * @param duration the duration, may be {@code null}
	 * @return whether it is longer than zero
	 */
	public static boolean isPositive(Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

}
