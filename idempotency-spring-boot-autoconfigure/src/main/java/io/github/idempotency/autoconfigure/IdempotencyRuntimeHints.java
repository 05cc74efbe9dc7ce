package io.github.idempotency.autoconfigure;

import java.util.List;

import io.github.idempotency.internal.method.KeyExpressionRoot;
import io.github.idempotency.jdbc.JdbcPlatform;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What a native image needs for the starter's own classes: reflection on the
 * {@code #root} of key expressions (SpEL reads it reflectively) and the JDK proxies
 * through which the {@code idempotency} health component joins the readiness group, on
 * whichever Spring Boot line is present, and the JDBC store's schema scripts. The types
 * of {@code @Idempotent(key = ...)} methods' arguments and return values are registered
 * per bean by {@code KeyedMethodsAotProcessor}.
 */
class IdempotencyRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * The health endpoint groups' interfaces, Spring Boot 3 first, then Spring Boot 4.
	 */
	static final List<String> HEALTH_GROUP_INTERFACES = List.of(
			"org.springframework.boot.actuate.health.HealthEndpointGroups",
			"org.springframework.boot.actuate.health.HealthEndpointGroup",
			"org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups",
			"org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection().registerType(KeyExpressionRoot.class, MemberCategory.INVOKE_PUBLIC_METHODS);
		for (JdbcPlatform platform : JdbcPlatform.values()) {
			hints.resources().registerPattern(platform.schemaLocation());
		}
		for (String name : HEALTH_GROUP_INTERFACES) {
			if (ClassUtils.isPresent(name, classLoader)) {
				hints.proxies().registerJdkProxy(TypeReference.of(name));
			}
		}
	}

}
