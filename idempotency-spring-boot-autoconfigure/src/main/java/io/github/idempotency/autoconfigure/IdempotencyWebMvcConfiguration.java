package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.servlet.ServletDecider;
import io.github.idempotency.internal.servlet.ServletExceptionResolver;
import io.github.idempotency.internal.servlet.ServletHandlerAdvice;
import io.github.idempotency.internal.servlet.ServletHandlerInterceptor;
import io.github.idempotency.internal.servlet.ServletIdempotentHandlers;
import io.github.idempotency.internal.servlet.ServletPrincipalScopeResolver;
import io.github.idempotency.internal.servlet.ServletRequestEndListener;
import io.github.idempotency.internal.servlet.ServletSettler;
import io.github.idempotency.internal.servlet.ServletSettlingFilter;

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
 * The Spring MVC door: {@code @Idempotent} handler methods in a servlet web application
 * take their key from the request header. The handler interceptor decides before the
 * arguments are bound, the aspect runs the handler within the claim, the filter settles
 * after the response is final; the caller's scope comes from Spring Security when it is
 * present.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@Import(IdempotencyConfigurations.SecurityScopeConfiguration.class)
class IdempotencyWebMvcConfiguration {

	@Bean
	@ConditionalOnMissingBean
	IdempotencyScopeResolver idempotencyScopeResolver() {
		return new ServletPrincipalScopeResolver();
	}

	@Bean
	@ConditionalOnMissingBean
	ServletDecider idempotencyDecider(ClaimSequence claims, IdempotencyScopeResolver scopeResolver,
			IdempotencyProperties properties) {
		return new ServletDecider(claims, scopeResolver, properties.getHeaderName(), properties.getKeyPrefix(),
				properties.getMaxBodySize());
	}

	@Bean
	@ConditionalOnMissingBean
	ServletSettler idempotencySettler(ResponseStoragePolicy storagePolicy, IdempotencyProperties properties) {
		return new ServletSettler(storagePolicy, properties.getMaxBodySize());
	}

	@Bean
	@ConditionalOnMissingBean
	ServletIdempotentHandlers idempotentMethods(IdempotencyProperties properties,
			ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings, ListableBeanFactory beanFactory) {
		return new ServletIdempotentHandlers(properties.durations(), handlerMappings, beanFactory);
	}

	/**
	 * The aspect is an advisor that every auto-proxy creator applies; it is static and
	 * reads its order without binding the properties, so creating it early (as proxy
	 * creators do with advisors) creates nothing else early.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static ServletHandlerAdvice idempotencyAspect(Environment environment) {
		return new ServletHandlerAdvice(
				Binder.get(environment).bind("idempotency.aspect-order", Integer.class).orElse(0));
	}

	@Bean
	@ConditionalOnMissingBean
	ServletHandlerInterceptor idempotencyHandlerInterceptor(ServletIdempotentHandlers methods, ServletDecider decider,
			ServletSettler settler) {
		return new ServletHandlerInterceptor(methods, decider, settler);
	}

	/**
	 * Registers the handler interceptor after every interceptor the application registers
	 * (which may establish the caller the key is scoped by, or refuse the request), as
	 * the last of Spring MVC's interceptors.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "idempotencyInterceptorRegistration")
	WebMvcConfigurer idempotencyInterceptorRegistration(ServletHandlerInterceptor interceptor) {
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(interceptor).order(Ordered.LOWEST_PRECEDENCE);
			}

		};
	}

	@Bean
	@ConditionalOnMissingBean
	ServletExceptionResolver idempotencyExceptionResolver() {
		return new ServletExceptionResolver();
	}

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyFilterRegistration")
	FilterRegistrationBean<ServletSettlingFilter> idempotencyFilterRegistration(ServletSettler settler,
			ServletDecider decider, IdempotencyProperties properties) {
		FilterRegistrationBean<ServletSettlingFilter> registration = new FilterRegistrationBean<>(
				new ServletSettlingFilter(settler, decider));
		registration.setName("idempotencyFilter");
		registration.setOrder(properties.getFilterOrder());
		return registration;
	}

	@Bean
	@ConditionalOnMissingBean(name = "idempotencyRequestListenerRegistration")
	ServletListenerRegistrationBean<ServletRequestEndListener> idempotencyRequestListenerRegistration(
			ServletSettler settler) {
		return new ServletListenerRegistrationBean<>(new ServletRequestEndListener(settler));
	}

}
