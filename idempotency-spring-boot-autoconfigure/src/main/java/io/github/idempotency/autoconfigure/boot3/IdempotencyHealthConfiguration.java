package io.github.idempotency.autoconfigure.boot3;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.actuate.ReadinessGroupMembership;
import io.github.idempotency.internal.store.StoreHealth;
import io.github.idempotency.internal.store.StoreConnection;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Spring Boot 3 Actuator adapter, imported by
 * {@code IdempotencyAdaptersAutoConfiguration}: the {@code idempotency} health component
 * and its membership in the {@code readiness} group. Each store checks its own health
 * ({@link StoreConnection#health()}); the group membership lives in
 * {@link ReadinessGroupMembership}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
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
