package io.github.idempotency.autoconfigure.boot3;

import io.github.idempotency.autoconfigure.IdempotencyProperties;
import io.github.idempotency.internal.redis.ReconnectDelay;
import io.github.idempotency.internal.redis.RedisStoreConnector;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Spring Boot 3 adapter, imported by {@code IdempotencyAdaptersAutoConfiguration}:
 * applies {@link ReconnectDelay} to the Lettuce client resources Spring Boot builds for
 * the Redis store, first among the customizers so one of the application's that sets a
 * reconnect delay wins. Only with Lettuce on the class path: Spring Boot's customizer
 * type exists without it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = { "org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer",
		"io.lettuce.core.resource.ClientResources" })
@ConditionalOnBean(RedisStoreConnector.class)
public class ReconnectDelayConfiguration {

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	@ConditionalOnMissingBean(name = "idempotencyReconnectDelayCustomizer")
	ClientResourcesBuilderCustomizer idempotencyReconnectDelayCustomizer(IdempotencyProperties properties) {
		return new ReconnectDelay(properties.getRedis().getMaxReconnectDelay())::applyTo;
	}

}
