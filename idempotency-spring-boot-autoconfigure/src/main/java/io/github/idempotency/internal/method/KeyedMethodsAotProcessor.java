package io.github.idempotency.internal.method;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import io.github.idempotency.internal.aop.IdempotentAnnotations;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.GenericTypeResolver;
import org.springframework.util.ReflectionUtils;

/**
 * Registers, for each bean with {@code @Idempotent(key = ...)} methods, what a native
 * image needs to run them: binding reflection on their parameter types (key and
 * fingerprint expressions read them, e.g. {@code #event.paymentId}) and on their return
 * types (stored as JSON and read back), as Spring does for {@code @RequestBody} and
 * {@code @ResponseBody} types.
 */
class KeyedMethodsAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> beanClass = registeredBean.getBeanClass();
		List<Method> methods = new ArrayList<>();
		ReflectionUtils.doWithMethods(beanClass, methods::add, (method) -> {
			var idempotent = IdempotentAnnotations.find(method);
			return idempotent != null && IdempotentAnnotations.hasKeyExpression(idempotent);
		});
		if (methods.isEmpty()) {
			return null;
		}
		return (generationContext, code) -> {
			BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
			var reflection = generationContext.getRuntimeHints().reflection();
			for (Method method : methods) {
				for (var parameter : method.getGenericParameterTypes()) {
					bindings.registerReflectionHints(reflection, GenericTypeResolver.resolveType(parameter, beanClass));
				}
				bindings.registerReflectionHints(reflection,
						GenericTypeResolver.resolveType(method.getGenericReturnType(), beanClass));
			}
		};
	}

}
