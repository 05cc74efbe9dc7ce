package io.github.idempotency.actuate.boot4;

import java.util.List;
import java.util.Set;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.actuate.IdempotencyHealth;
import io.github.idempotency.actuate.ReadinessGroupMembership;
import io.github.idempotency.actuate.StoreHealth;
import io.github.idempotency.redis.RedisStoreConnector;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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
	HealthIndicator idempotencyHealthIndicator(IdempotencyStore store, ObjectProvider<RedisStoreConnector> redis) {
		IdempotencyHealth health = new IdempotencyHealth(store, redis.getIfAvailable());
		return () -> {
			StoreHealth result = health.check();
			return Health.status(new Status(result.status().name())).withDetails(result.details()).build();
		};
	}

	@Bean
	HealthEndpointGroupsPostProcessor idempotencyReadinessGroup(Environment environment) {
		ReadinessGroupMembership membership = new ReadinessGroupMembership(environment);
		return (groups) -> membership.changesGroup() ? new Groups(groups, membership) : groups;
	}

	private record Groups(HealthEndpointGroups groups, ReadinessGroupMembership membership)
			implements HealthEndpointGroups, AdditionalPathsMapper {

		@Override
		public HealthEndpointGroup getPrimary() {
			return this.groups.getPrimary();
		}

		@Override
		public Set<String> getNames() {
			return this.groups.getNames();
		}

		@Override
		public HealthEndpointGroup get(String name) {
			HealthEndpointGroup group = this.groups.get(name);
			return (group != null && ReadinessGroupMembership.GROUP.equals(name)) ? new Group(group, this.membership)
					: group;
		}

		@Override
		public List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace webServerNamespace) {
			return (this.groups instanceof AdditionalPathsMapper mapper)
					? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
		}

	}

	private record Group(HealthEndpointGroup group, ReadinessGroupMembership membership) implements HealthEndpointGroup {

		@Override
		public boolean isMember(String name) {
			return this.membership.isMember(name, this.group.isMember(name));
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.group.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.group.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.group.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.group.getHttpCodeStatusMapper();
		}

		@Override
		public AdditionalHealthEndpointPath getAdditionalPath() {
			return this.group.getAdditionalPath();
		}

	}

}
