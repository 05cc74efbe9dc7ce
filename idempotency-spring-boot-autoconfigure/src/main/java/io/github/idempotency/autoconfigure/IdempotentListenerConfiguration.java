package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyResponseLostException;
import io.github.idempotency.internal.amqp.InProgressWaitAdvice;
import io.github.idempotency.internal.amqp.InProgressWaitPostProcessor;
import io.github.idempotency.kafka.InProgressBackOffFunction;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * Message listeners with {@code @Idempotent(key = ...)}: when Spring AMQP or Spring Kafka
 * is on the class path, their listener containers retry a delivery whose key is still in
 * flight with a back-off instead of dropping it, dead-lettering it or redelivering it in
 * a tight loop.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "idempotency.listener", name = "enabled", havingValue = "true", matchIfMissing = true)
@Import({ IdempotentListenerConfiguration.Rabbit.class, IdempotentListenerConfiguration.Kafka.class })
class IdempotentListenerConfiguration {

	/**
	 * RabbitMQ: a delivery waits on its consumer for the first delivery to finish, then
	 * is requeued. The post-processor is static and binds its settings itself, as
	 * post-processors are created before the rest of the context.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.amqp.rabbit.config.BaseRabbitListenerContainerFactory")
	static class Rabbit {

		@Bean
		@ConditionalOnMissingBean
		static InProgressWaitPostProcessor idempotencyRabbitInProgressWait(Environment environment) {
			IdempotencyProperties.Listener listener = Binder.get(environment)
				.bind("idempotency.listener", IdempotencyProperties.Listener.class)
				.orElseGet(IdempotencyProperties.Listener::new);
			return new InProgressWaitPostProcessor(new InProgressWaitAdvice(listener.getInitialInterval(),
					listener.getMaxInterval(), listener.getMaxWait()));
		}

	}

	/**
	 * Kafka: Spring Boot applies a {@link CommonErrorHandler} bean to its listener
	 * container factory; this one is Spring Kafka's default with the in-progress
	 * back-off. An application with its own error handler adds
	 * {@link InProgressBackOffFunction} to it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.kafka.listener.DefaultErrorHandler")
	static class Kafka {

		@Bean
		@ConditionalOnMissingBean(CommonErrorHandler.class)
		DefaultErrorHandler idempotencyKafkaErrorHandler(IdempotencyProperties properties) {
			DefaultErrorHandler handler = new DefaultErrorHandler();
			handler.setBackOffFunction(new InProgressBackOffFunction(properties.getListener().getInitialInterval(),
					properties.getListener().getMaxInterval()));
			handler.addNotRetryableExceptions(IdempotencyResponseLostException.class);
			return handler;
		}

	}

}
