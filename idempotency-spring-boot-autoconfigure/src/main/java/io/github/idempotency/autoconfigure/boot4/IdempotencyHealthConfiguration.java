package io.github.idempotency.autoconfigure.boot4;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.actuate.ReadinessGroupMembership;
import io.github.idempotency.internal.store.StoreHealth;
import io.github.idempotency.internal.store.StoreConnection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Spring Boot 4 Actuator adapter, imported by
 * {@code IdempotencyAdaptersAutoConfiguration}: the {@code idempotency} health component
 * and its membership in the {@code readiness} group. Each store checks its own health
 * ({@link StoreConnection#health()}); the group membership lives in
 * {@link ReadinessGroupMembership}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(IdempotencyStore.class)
@ConditionalOnEnabledHealthIndicator(ReadinessGroupMembership.COMPONENT)
public class IdempotencyHealthConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyHealthIndicator")
	HealthIndicator idempotencyHealthIndicator(IdempotencyStore store, ObjectProvider<StoreConnection> connection) {
		StoreConnection storeConnection = connection.getIfUnique(() -> StoreConnection.unmanaged(store));
		return () -> {
			StoreHealth result = storeConnection.health();
			return Health.status(new Status(result.status().name())).withDetails(result.details()).build();
		};
	}

	@Bean
	HealthEndpointGroupsPostProcessor idempotencyReadinessGroup(Environment environment) {
		return new ReadinessGroupMembership(environment)::addTo;
	}

}
