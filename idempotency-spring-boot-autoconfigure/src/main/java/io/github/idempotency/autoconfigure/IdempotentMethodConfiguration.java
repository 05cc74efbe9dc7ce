package io.github.idempotency.autoconfigure;

import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.idempotency.internal.aop.SuspendingTransactionOrderCheck;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.http.IdempotentHandlers;
import io.github.idempotency.internal.method.IdempotentMethodInterceptor;
import io.github.idempotency.internal.method.Jackson2ReturnValueCodec;
import io.github.idempotency.internal.method.Jackson3ReturnValueCodec;
import io.github.idempotency.internal.method.KeyedMethods;
import io.github.idempotency.method.ReturnValueCodec;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * The door off the web: {@code @Idempotent(key = ...)} on any Spring bean method
 * (services, message listeners, scheduled jobs), in any application, web or not. Return
 * values are stored through the application's JSON mapper: Jackson 3 when the context has
 * its {@code JsonMapper} (Spring Boot 4), else Jackson 2's {@code ObjectMapper} (Spring
 * Boot 3).
 */
@Configuration(proxyBeanMethods = false)
@Import({ IdempotentMethodConfiguration.Jackson3Codec.class, IdempotentMethodConfiguration.Jackson2Codec.class,
		IdempotentMethodConfiguration.SuspendingTransactions.class })
class IdempotentMethodConfiguration {

	@Bean
	@ConditionalOnMissingBean
	KeyedMethods idempotentKeyedMethods(IdempotencyProperties properties, ObjectProvider<ReturnValueCodec> codec,
			ListableBeanFactory beanFactory, ObjectProvider<IdempotentHandlers> webMethods) {
		Duration suspendingListenerWait = properties.getListener().isEnabled() ? properties.getListener().getMaxWait()
				: Duration.ZERO;
		return new KeyedMethods(properties.durations(), suspendingListenerWait, codec.getIfAvailable(), beanFactory,
				() -> webMethods.stream().findAny().isPresent());
	}

	/**
	 * The interceptor is an advisor that every auto-proxy creator applies; it is static,
	 * reads its settings without binding the properties and finds its collaborators on
	 * first use, so creating it early (as proxy creators do with advisors) creates
	 * nothing else early.
	 */
	@Bean
	@ConditionalOnMissingBean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static IdempotentMethodInterceptor idempotentMethodInterceptor(ObjectProvider<KeyedMethods> methods,
			ObjectProvider<ClaimSequence> claims, Environment environment) {
		Binder binder = Binder.get(environment);
		return new IdempotentMethodInterceptor(methods, claims,
				binder.bind("idempotency.key-prefix", String.class).orElse("idempotency"),
				binder.bind("idempotency.aspect-order", Integer.class).orElse(0));
	}

	/**
	 * Kotlin {@code suspend} functions that are also {@code @Transactional} need the
	 * idempotency advice outside the transaction advice: checked at start-up.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "kotlin.coroutines.Continuation",
			"org.springframework.transaction.interceptor.TransactionInterceptor" })
	static class SuspendingTransactions {

		@Bean
		@ConditionalOnMissingBean
		SuspendingTransactionOrderCheck idempotentSuspendingTransactionOrderCheck(ListableBeanFactory beanFactory) {
			return new SuspendingTransactionOrderCheck(beanFactory);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "tools.jackson.databind.json.JsonMapper")
	@ConditionalOnBean(type = "tools.jackson.databind.json.JsonMapper")
	static class Jackson3Codec {

		@Bean
		@ConditionalOnMissingBean
		ReturnValueCodec idempotencyReturnValueCodec(tools.jackson.databind.json.JsonMapper mapper) {
			return new Jackson3ReturnValueCodec(mapper);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ObjectMapper.class)
	@ConditionalOnBean(ObjectMapper.class)
	static class Jackson2Codec {

		@Bean
		@ConditionalOnMissingBean
		ReturnValueCodec idempotencyReturnValueCodec(ObjectMapper mapper) {
			return new Jackson2ReturnValueCodec(mapper);
		}

	}

}
