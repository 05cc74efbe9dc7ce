package io.github.idempotency.autoconfigure;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Registers {@link BuildTimeChoices} without any condition, so that it is built into
 * every ahead-of-time processed application — also one built with
 * {@code idempotency.enabled=false}, whose run may then ask for the starter.
 */
@AutoConfiguration
public class IdempotencyBuildTimeChoicesAutoConfiguration {

	@Bean
	static BuildTimeChoices idempotencyBuildTimeChoices(ConfigurableListableBeanFactory beanFactory,
			Environment environment) {
		return new BuildTimeChoices(beanFactory, environment);
	}

}
