package io.github.idempotency.autoconfigure;

import io.github.idempotency.ReactiveIdempotencyScopeResolver;
import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.reactive.ReactiveDecider;
import io.github.idempotency.internal.reactive.ReactiveFilterFunctions;
import io.github.idempotency.internal.reactive.ReactiveHandlerAdapter;
import io.github.idempotency.internal.reactive.ReactiveExceptionHandler;
import io.github.idempotency.internal.reactive.ReactiveHandlerAdvice;
import io.github.idempotency.internal.reactive.ReactiveIdempotentHandlers;
import io.github.idempotency.internal.reactive.ReactivePrincipalScopeResolver;
import io.github.idempotency.internal.reactive.ReactiveSettler;
import io.github.idempotency.internal.reactive.ReactiveSettlingHandlerDecorator;
import io.github.idempotency.internal.security.ReactiveSecurityContextScopeResolver;
import io.github.idempotency.webflux.IdempotencyFilterFunctions;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerAdapter;

/**
 * The WebFlux door: {@code @Idempotent} handler methods in a reactive web application
 * take their key from the request header, with the rules of the Spring MVC door and store
 * calls that never block an event loop. The handler adapter decides before the arguments
 * are resolved, the HTTP handler decorator settles before the response is sent, the
 * advice tells whether the method was reached; functional endpoints take a filter from
 * {@link IdempotencyFilterFunctions}; the caller's scope comes from Spring Security's
 * reactive context when it is present.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(DispatcherHandler.class)
@Import(IdempotencyWebFluxConfiguration.ReactiveSecurityScope.class)
class IdempotencyWebFluxConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ReactiveIdempotencyScopeResolver idempotencyReactiveScopeResolver() {
		return new ReactivePrincipalScopeResolver();
	}

	@Bean
	@ConditionalOnMissingBean
	ReactiveIdempotentHandlers idempotentReactiveMethods(IdempotencyProperties properties,
			ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings, ListableBeanFactory beanFactory) {
		return new ReactiveIdempotentHandlers(properties.durations(), handlerMappings, beanFactory);
	}

	@Bean
	@ConditionalOnMissingBean
	ReactiveDecider idempotencyReactiveDecider(ClaimSequence claims, ReactiveIdempotencyScopeResolver scopeResolver,
			IdempotencyProperties properties) {
		return new ReactiveDecider(claims, scopeResolver, properties.getHeaderName(), properties.getKeyPrefix(),
				properties.getMaxBodySize(), Schedulers.parallel());
	}

	@Bean
	@ConditionalOnMissingBean
	ReactiveSettler idempotencyReactiveSettler(ResponseStoragePolicy storagePolicy, IdempotencyProperties properties) {
		return new ReactiveSettler(storagePolicy, properties.getMaxBodySize());
	}

	@Bean
	@ConditionalOnMissingBean
	ReactiveSettlingHandlerDecorator idempotencyHttpHandlerDecorator(ReactiveSettler settler, ClaimSequence claims) {
		return new ReactiveSettlingHandlerDecorator(settler, claims);
	}

	@Bean
	@ConditionalOnMissingBean
	ReactiveExceptionHandler idempotencyExceptionHandler() {
		return new ReactiveExceptionHandler();
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyFilterFunctions idempotencyFilterFunctions(ReactiveDecider decider, IdempotencyProperties properties) {
		return new ReactiveFilterFunctions(decider, properties.durations());
	}

	@Bean
	@ConditionalOnMissingBean
	ReactiveHandlerAdapter idempotencyHandlerAdapter(ReactiveIdempotentHandlers methods, ReactiveDecider decider,
			ObjectProvider<RequestMappingHandlerAdapter> delegate, ReactiveHandlerAdvice reach) {
		return new ReactiveHandlerAdapter(methods, decider, delegate, reach);
	}

	/**
	 * The advice is an advisor that every auto-proxy creator applies; it is static and
	 * reads its order without binding the properties, so creating it early creates
	 * nothing else early.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static ReactiveHandlerAdvice idempotencyHandlerReach(Environment environment) {
		return new ReactiveHandlerAdvice(
				Binder.get(environment).bind("idempotency.aspect-order", Integer.class).orElse(0));
	}

	/** The caller's scope from Spring Security's reactive context. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveSecurityContextHolder.class)
	static class ReactiveSecurityScope {

		@Bean
		@ConditionalOnMissingBean
		ReactiveIdempotencyScopeResolver idempotencyReactiveScopeResolver() {
			return new ReactiveSecurityContextScopeResolver();
		}

	}

}
