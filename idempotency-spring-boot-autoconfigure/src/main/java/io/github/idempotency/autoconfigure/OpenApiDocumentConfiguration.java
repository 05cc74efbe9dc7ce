package io.github.idempotency.autoconfigure;

import io.github.idempotency.internal.openapi.IdempotencyOpenApiCustomizer;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document (springdoc, for Spring MVC or WebFlux) shows the key header, the
 * problems and {@code Idempotent-Replayed} on every {@code @Idempotent} operation.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
@ConditionalOnClass(name = "org.springdoc.core.customizers.OperationCustomizer")
class OpenApiDocumentConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IdempotencyOpenApiCustomizer idempotencyOpenApiCustomizer(IdempotencyProperties properties) {
		return new IdempotencyOpenApiCustomizer(properties.getHeaderName(), properties.getMaxBodySize().toBytes(),
				properties.getStore() == IdempotencyProperties.Store.JDBC, properties.durations());
	}

}
