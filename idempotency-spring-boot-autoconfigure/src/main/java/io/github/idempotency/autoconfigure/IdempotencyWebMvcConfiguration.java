package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.core.ClaimSequence;
import io.github.idempotency.openapi.IdempotencyOpenApiCustomizer;
import io.github.idempotency.web.IdempotencyAspect;
import io.github.idempotency.web.IdempotencyDecider;
import io.github.idempotency.web.IdempotencyExceptionResolver;
import io.github.idempotency.web.IdempotencyFilter;
import io.github.idempotency.web.IdempotencyHandlerInterceptor;
import io.github.idempotency.web.IdempotencyRequestListener;
import io.github.idempotency.web.IdempotencySettler;
import io.github.idempotency.web.IdempotentMethods;
import io.github.idempotency.web.PrincipalScopeResolver;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * The Spring MVC door: {@code @Idempotent} handler methods in a servlet web application take
 * their key from the request header. The handler interceptor decides before the arguments are
 * bound, the aspect runs the handler within the claim, the filter settles after the response is
 * final; the caller's scope comes from Spring Security when it
 * is present.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@Import(IdempotencyConfigurations.SecurityScopeConfiguration.class)
class IdempotencyWebMvcConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IdempotencyScopeResolver idempotencyScopeResolver() {
		return new PrincipalScopeResolver();
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyDecider idempotencyDecider(ClaimSequence claims, IdempotencyScopeResolver scopeResolver,
			IdempotencyProperties properties) {
		return new IdempotencyDecider(claims, scopeResolver, properties.getHeaderName(), properties.getKeyPrefix(),
				properties.getMaxBodySize());
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencySettler idempotencySettler(ResponseStoragePolicy storagePolicy, IdempotencyProperties properties) {
		return new IdempotencySettler(storagePolicy, properties.getMaxBodySize());
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotentMethods idempotentMethods(IdempotencyProperties properties,
			ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings, ListableBeanFactory beanFactory) {
		return new IdempotentMethods(properties.getTtl(), properties.getLockTimeout(), handlerMappings, beanFactory);
	}

	/**
	 * The aspect is an advisor that every auto-proxy creator applies; it is static and reads
	 * its order without binding the properties, so creating it early (as proxy creators do with
	 * advisors) creates nothing else early.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static IdempotencyAspect idempotencyAspect(Environment environment) {
		return new IdempotencyAspect(Binder.get(environment).bind("idempotency.aspect-order", Integer.class).orElse(0));
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyHandlerInterceptor idempotencyHandlerInterceptor(IdempotentMethods methods, IdempotencyDecider decider,
			IdempotencySettler settler) {
		return new IdempotencyHandlerInterceptor(methods, decider, settler);
	}

	/**
	 * Registers the handler interceptor after every interceptor the application registers
	 * (which may establish the caller the key is scoped by, or refuse the request), as the
	 * last of Spring MVC's interceptors.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "idempotencyInterceptorRegistration")
	WebMvcConfigurer idempotencyInterceptorRegistration(IdempotencyHandlerInterceptor interceptor) {
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(interceptor).order(Ordered.LOWEST_PRECEDENCE);
			}

		};
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyExceptionResolver idempotencyExceptionResolver() {
		return new IdempotencyExceptionResolver();
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

	/**
	 * The OpenAPI document (springdoc) shows the key header, the problems and
	 * {@code Idempotent-Replayed} on every {@code @Idempotent} operation.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springdoc.core.customizers.OperationCustomizer")
	static class OpenApiDocument {

		@Bean
		@ConditionalOnMissingBean
		IdempotencyOpenApiCustomizer idempotencyOpenApiCustomizer(IdempotencyProperties properties) {
			return new IdempotencyOpenApiCustomizer(properties.getHeaderName(), properties.getMaxBodySize().toBytes(),
					properties.getStore() == IdempotencyProperties.Store.JDBC);
		}

	}

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyRequestListenerRegistration")
	ServletListenerRegistrationBean<IdempotencyRequestListener> idempotencyRequestListenerRegistration(
			IdempotencySettler settler) {
		return new ServletListenerRegistrationBean<>(new IdempotencyRequestListener(settler));
	}

}
