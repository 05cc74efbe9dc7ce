package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.actuate.IdempotencyEndpoint;
import io.github.idempotency.internal.actuate.IdempotencyEndpointWebExtension;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code idempotency} Actuator endpoint, when Actuator is present and the application
 * exposes the endpoint ({@code management.endpoints.web.exposure.include}, or over JMX
 * per Spring Boot's defaults).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(
		name = "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint")
@ConditionalOnAvailableEndpoint(endpoint = IdempotencyEndpoint.class)
@ConditionalOnBean(IdempotencyStore.class)
class IdempotencyEndpointConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IdempotencyEndpoint idempotencyEndpoint(IdempotencyStore store, IdempotencyObserver observer,
			IdempotencyProperties properties) {
		return new IdempotencyEndpoint(store, properties.getKeyPrefix(), observer);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension")
	IdempotencyEndpointWebExtension idempotencyEndpointWebExtension(IdempotencyEndpoint endpoint) {
		return new IdempotencyEndpointWebExtension(endpoint);
	}

}
