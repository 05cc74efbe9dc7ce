package io.github.idempotency.autoconfigure;

import java.util.Set;

import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.redis.RedisStoreConnector;
import io.github.idempotency.startup.IdempotencyStartup;
import io.github.idempotency.web.IdempotencyAspect;
import io.github.idempotency.web.IdempotencyDecider;
import io.github.idempotency.web.IdempotencyFilter;
import io.github.idempotency.web.IdempotencyHandlerInterceptor;
import io.github.idempotency.web.IdempotencyRequestBodyAdvice;
import io.github.idempotency.web.IdempotencyRequestListener;
import io.github.idempotency.web.IdempotencySettler;
import io.github.idempotency.web.IdempotentMethods;
import io.github.idempotency.web.PrincipalScopeResolver;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.handler.MappedInterceptor;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Auto-configuration for {@link io.github.idempotency.Idempotent @Idempotent} Spring MVC
 * endpoints: the aspect, the response-buffering filter, a store (Redis when a
 * {@link RedisConnectionFactory} exists, otherwise in-memory), the caller scope, and metrics
 * when Micrometer is present. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(after = AopAutoConfiguration.class, afterName = { SpringBootClassNames.BOOT3_REDIS_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT4_REDIS_AUTO_CONFIGURATION, SpringBootClassNames.BOOT3_METRICS_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT4_METRICS_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT3_COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT4_COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnProperty(prefix = "idempotency", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(IdempotencyProperties.class)
@Import({ AdvisorAutoProxying.class, IdempotencyConfigurations.RedisStoreConfiguration.class,
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
	IdempotencyDecider idempotencyDecider(ObjectProvider<IdempotencyStore> stores,
			IdempotencyScopeResolver scopeResolver, IdempotencyObserver observer, IdempotencyProperties properties,
			Environment environment) {
		return new IdempotencyDecider(requireStore(stores, environment), scopeResolver, observer,
				properties.getHeaderName(), properties.getKeyPrefix(), properties.getStoreFailure(),
				properties.getMaxBodySize());
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencySettler idempotencySettler(ObjectProvider<IdempotencyStore> stores,
			ResponseStoragePolicy storagePolicy, IdempotencyObserver observer, IdempotencyProperties properties,
			Environment environment) {
		return new IdempotencySettler(requireStore(stores, environment), storagePolicy, observer,
				properties.getMaxBodySize());
	}

	private static IdempotencyStore requireStore(ObjectProvider<IdempotencyStore> stores, Environment environment) {
		IdempotencyStore store = stores.getIfAvailable();
		if (store == null) {
			throw new IllegalStateException("No IdempotencyStore for idempotency.store="
					+ environment.getProperty("idempotency.store", "(not set)")
					+ ": use 'redis' (needs one RedisConnectionFactory, Lettuce or Jedis, from spring.data.redis.*; of several, "
					+ "mark the one for idempotency records @Primary) or 'in-memory', or define an IdempotencyStore bean");
		}
		return store;
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
			ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings, ListableBeanFactory beanFactory) {
		return new IdempotentMethods(properties.getTtl(), properties.getLockTimeout(), handlerMappings, beanFactory);
	}

	/**
	 * The aspect is an advisor that every auto-proxy creator applies; it is static, reads its
	 * order without binding the properties and finds the decider on first use, so creating it
	 * early (as proxy creators do with advisors) creates nothing else early.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static IdempotencyAspect idempotencyAspect(ObjectProvider<IdempotencyDecider> decider, Environment environment) {
		return new IdempotencyAspect(decider,
				Binder.get(environment).bind("idempotency.aspect-order", Integer.class).orElse(0));
	}

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyHandlerInterceptor")
	MappedInterceptor idempotencyHandlerInterceptor(IdempotentMethods methods) {
		return new MappedInterceptor(null, new IdempotencyHandlerInterceptor(methods));
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyRequestBodyAdvice idempotencyRequestBodyAdvice(IdempotencyProperties properties) {
		return new IdempotencyRequestBodyAdvice(properties.getMaxBodySize());
	}

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyFilterRegistration")
	FilterRegistrationBean<IdempotencyFilter> idempotencyFilterRegistration(IdempotencySettler settler,
			IdempotencyProperties properties) {
		FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(
				new IdempotencyFilter(settler));
		registration.setName("idempotencyFilter");
		registration.setOrder(properties.getFilterOrder());
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyRequestListenerRegistration")
	ServletListenerRegistrationBean<IdempotencyRequestListener> idempotencyRequestListenerRegistration(
			IdempotencySettler settler) {
		return new ServletListenerRegistrationBean<>(new IdempotencyRequestListener(settler));
	}

}
