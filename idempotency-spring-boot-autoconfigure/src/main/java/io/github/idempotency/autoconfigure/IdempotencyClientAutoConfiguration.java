package io.github.idempotency.autoconfigure;

import io.github.idempotency.client.ClientOutcomes;
import io.github.idempotency.client.ClientRetryPolicy;
import io.github.idempotency.client.IdempotencyClientInterceptor;
import io.github.idempotency.client.IdempotencyExchangeFilterFunction;
import io.github.idempotency.client.IdempotencyKeys;
import io.github.idempotency.internal.client.IdempotencyClientsPostProcessor;
import io.github.idempotency.internal.micrometer.MicrometerClientOutcomes;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The client half, in any application (web or not, with or without the server side), when
 * {@code idempotency.client.enabled=true}: the application's {@code RestClient.Builder},
 * {@code RestTemplate} and {@code WebClient.Builder} beans send one key per logical call
 * and retry it safely. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = { SpringBootClassNames.BOOT3_METRICS_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT4_METRICS_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT3_COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT4_COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION })
@ConditionalOnProperty(prefix = "idempotency.client", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(IdempotencyProperties.class)
@Import({ IdempotencyClientAutoConfiguration.Metrics.class, IdempotencyClientAutoConfiguration.WebFlux.class })
public class IdempotencyClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IdempotencyKeys idempotencyKeys() {
		return new IdempotencyKeys();
	}

	@Bean
	@ConditionalOnMissingBean
	ClientRetryPolicy idempotencyClientRetryPolicy(IdempotencyProperties properties) {
		IdempotencyProperties.Client client = properties.getClient();
		return new ClientRetryPolicy(ClientRetryPolicy.DEFAULT.methods(), client.getHeaderName(),
				client.getMaxAttempts(), client.getInitialBackoff(), client.getMaxBackoff(), client.getMaxRetryAfter())
			.withMethods(client.getMethods());
	}

	@Bean
	@ConditionalOnMissingBean
	ClientOutcomes idempotencyClientOutcomes() {
		return ClientOutcomes.NONE;
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyClientInterceptor idempotencyClientInterceptor(ClientRetryPolicy policy, IdempotencyKeys keys,
			ClientOutcomes outcomes) {
		return new IdempotencyClientInterceptor(policy, keys, outcomes);
	}

	/**
	 * Static, as post-processors are created before the rest; it finds the rest on first
	 * use.
	 */
	@Bean
	@ConditionalOnMissingBean
	static IdempotencyClientsPostProcessor idempotencyClientsPostProcessor(
			ObjectProvider<IdempotencyClientInterceptor> interceptor, BeanFactory beanFactory) {
		return new IdempotencyClientsPostProcessor(interceptor, beanFactory);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class Metrics {

		@Bean
		@ConditionalOnMissingBean
		ClientOutcomes idempotencyClientOutcomes(MeterRegistry registry) {
			return new MicrometerClientOutcomes(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
	static class WebFlux {

		@Bean
		@ConditionalOnMissingBean
		IdempotencyExchangeFilterFunction idempotencyExchangeFilterFunction(ClientRetryPolicy policy,
				ClientOutcomes outcomes) {
			return new IdempotencyExchangeFilterFunction(policy, outcomes);
		}

	}

}
