package io.github.idempotency.autoconfigure;

import java.util.Set;

import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.redis.RedisStoreConnector;
import io.github.idempotency.startup.IdempotencyStartup;
import io.github.idempotency.web.IdempotencyAspect;
import io.github.idempotency.web.IdempotencyFilter;
import io.github.idempotency.web.IdempotencyRequestBodyAdvice;
import io.github.idempotency.web.IdempotentMethods;
import io.github.idempotency.web.IdempotentRequestHandler;
import io.github.idempotency.web.PrincipalScopeResolver;
import org.aspectj.weaver.Advice;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Auto-configuration for {@link io.github.idempotency.Idempotent @Idempotent} Spring MVC
 * endpoints: the aspect, the response-buffering filter, a store (Redis when a
 * {@link RedisConnectionFactory} exists, otherwise in-memory), the caller scope, and metrics
 * when Micrometer is present. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(afterName = { SpringBootClassNames.BOOT3_REDIS_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT4_REDIS_AUTO_CONFIGURATION, SpringBootClassNames.BOOT3_METRICS_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT4_METRICS_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT3_COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT4_COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, Advice.class })
@ConditionalOnProperty(prefix = "idempotency", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(IdempotencyProperties.class)
@Import({ IdempotencyConfigurations.RedisStoreConfiguration.class,
		IdempotencyConfigurations.InMemoryStoreConfiguration.class,
		IdempotencyConfigurations.SecurityScopeConfiguration.class,
		IdempotencyConfigurations.MicrometerConfiguration.class })
public class IdempotencyAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IdempotencyScopeResolver idempotencyScopeResolver() {
		return new PrincipalScopeResolver();
	}

	@Bean
	@ConditionalOnMissingBean
	ResponseStoragePolicy idempotencyResponseStoragePolicy(IdempotencyProperties properties) {
		Set<Integer> unstored = Set.copyOf(properties.getUnstoredStatuses());
		return (status) -> status < 500 && !unstored.contains(status);
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyObserver idempotencyObserver() {
		return IdempotencyObserver.NONE;
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotentRequestHandler idempotentRequestHandler(ObjectProvider<IdempotencyStore> stores,
			IdempotencyScopeResolver scopeResolver, ResponseStoragePolicy storagePolicy, IdempotencyObserver observer,
			IdempotencyProperties properties, Environment environment) {
		IdempotencyStore store = stores.getIfAvailable();
		if (store == null) {
			throw new IllegalStateException("No IdempotencyStore for idempotency.store="
					+ environment.getProperty("idempotency.store", "(not set)")
					+ ": use 'redis' (needs a Lettuce RedisConnectionFactory from spring.data.redis.*) or 'in-memory', "
					+ "or define an IdempotencyStore bean");
		}
		return new IdempotentRequestHandler(store, scopeResolver, storagePolicy, observer, properties.getHeaderName(),
				properties.getKeyPrefix(), properties.getStoreFailure(), properties.getMaxBodySize());
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyStartup idempotencyStartup(ObjectProvider<IdempotencyStore> stores,
			ObjectProvider<RedisStoreConnector> redis, IdempotencyProperties properties) {
		return StartupSummary.startup(stores.getIfAvailable(), redis.getIfAvailable(), properties);
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotentMethods idempotentMethods(IdempotencyProperties properties,
			ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings) {
		return new IdempotentMethods(properties.getTtl(), properties.getLockTimeout(), handlerMappings);
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyAspect idempotencyAspect(IdempotentRequestHandler handler, IdempotentMethods methods,
			IdempotencyProperties properties) {
		return new IdempotencyAspect(handler, methods, properties.getAspectOrder());
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyRequestBodyAdvice idempotencyRequestBodyAdvice(IdempotentRequestHandler handler) {
		return new IdempotencyRequestBodyAdvice(handler);
	}

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyFilterRegistration")
	FilterRegistrationBean<IdempotencyFilter> idempotencyFilterRegistration(IdempotentRequestHandler handler,
			IdempotencyProperties properties) {
		FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(
				new IdempotencyFilter(handler));
		registration.setName("idempotencyFilter");
		registration.setOrder(properties.getFilterOrder());
		return registration;
	}

}
