package io.github.idempotency.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * The integrations whose Spring Boot types differ between Spring Boot 3 and 4 (Actuator
 * health, Lettuce client resources customizers): imports the adapter classes this jar
 * holds, each switched on only on its own line by its {@code @ConditionalOnClass}. Runs
 * after the availability probes, so the {@code idempotency} component joins the probes'
 * readiness group.
 */
@AutoConfiguration(after = IdempotencyAutoConfiguration.class,
		afterName = { SpringBootClassNames.BOOT3_AVAILABILITY_PROBES_AUTO_CONFIGURATION,
				SpringBootClassNames.BOOT4_AVAILABILITY_PROBES_AUTO_CONFIGURATION })
@Import(IdempotencyAdaptersAutoConfiguration.Adapters.class)
public class IdempotencyAdaptersAutoConfiguration {

	static final List<String> ADAPTERS = List.of(
			"io.github.idempotency.autoconfigure.boot3.IdempotencyHealthConfiguration",
			"io.github.idempotency.autoconfigure.boot4.IdempotencyHealthConfiguration",
			"io.github.idempotency.autoconfigure.boot3.ReconnectDelayConfiguration",
			"io.github.idempotency.autoconfigure.boot4.ReconnectDelayConfiguration");

	/**
	 * Selects the adapters compiled into this jar; a build for one line leaves the
	 * other's out.
	 */
	static class Adapters implements ImportSelector {

		@Override
		public String[] selectImports(AnnotationMetadata metadata) {
			ClassLoader classLoader = Adapters.class.getClassLoader();
			return ADAPTERS.stream().filter((name) -> ClassUtils.isPresent(name, classLoader)).toArray(String[]::new);
		}

	}

}
