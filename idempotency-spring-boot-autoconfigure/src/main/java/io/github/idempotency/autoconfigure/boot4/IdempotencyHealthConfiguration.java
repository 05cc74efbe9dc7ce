package io.github.idempotency.autoconfigure.boot4;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.internal.actuate.IdempotencyHealth;
import io.github.idempotency.internal.actuate.ReadinessGroupMembership;
import io.github.idempotency.internal.redis.RedisStoreConnector;
import io.github.idempotency.internal.store.StoreHealth;
import io.github.idempotency.internal.store.StoreHealthCheck;

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
 * {@code IdempotencyAdaptersAutoConfiguration}: the {@code idempotency} health component and its
 * membership in the {@code readiness} group. The checks live in {@link IdempotencyHealth}
 * and {@link ReadinessGroupMembership}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(IdempotencyStore.class)
@ConditionalOnEnabledHealthIndicator(ReadinessGroupMembership.COMPONENT)
public class IdempotencyHealthConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyHealthIndicator")
	HealthIndicator idempotencyHealthIndicator(IdempotencyStore store, ObjectProvider<RedisStoreConnector> redis,
			ObjectProvider<StoreHealthCheck> storeCheck) {
		IdempotencyHealth health = new IdempotencyHealth(store, redis.getIfAvailable(), storeCheck.getIfUnique());
		return () -> {
			StoreHealth result = health.check();
			return Health.status(new Status(result.status().name())).withDetails(result.details()).build();
		};
	}

	@Bean
	HealthEndpointGroupsPostProcessor idempotencyReadinessGroup(Environment environment) {
		return new ReadinessGroupMembership(environment)::addTo;
	}

}
