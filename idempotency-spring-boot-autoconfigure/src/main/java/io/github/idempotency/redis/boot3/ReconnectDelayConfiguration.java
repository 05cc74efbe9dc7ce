package io.github.idempotency.redis.boot3;

import io.github.idempotency.autoconfigure.IdempotencyProperties;
import io.github.idempotency.redis.ReconnectDelay;
import io.github.idempotency.redis.RedisStoreConnector;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Spring Boot 3 adapter, imported by {@code IdempotencyAdaptersAutoConfiguration}, that applies {@link ReconnectDelay} to the Lettuce client resources
 * Spring Boot builds for the Redis store.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer")
@ConditionalOnBean(RedisStoreConnector.class)
public class ReconnectDelayConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyReconnectDelayCustomizer")
	Customizer idempotencyReconnectDelayCustomizer(IdempotencyProperties properties) {
		return new Customizer(new ReconnectDelay(properties.getRedis().getMaxReconnectDelay()));
	}

	record Customizer(ReconnectDelay delay) implements ClientResourcesBuilderCustomizer, Ordered {

		@Override
		public void customize(io.lettuce.core.resource.ClientResources.Builder builder) {
			this.delay.applyTo(builder);
		}

		@Override
		public int getOrder() {
			return this.delay.getOrder();
		}

	}

}
