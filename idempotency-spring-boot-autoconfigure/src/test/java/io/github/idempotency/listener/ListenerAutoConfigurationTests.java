package io.github.idempotency.listener;

import java.util.List;

import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.internal.amqp.InProgressWaitAdvice;
import io.github.idempotency.internal.amqp.InProgressWaitPostProcessor;
import io.github.idempotency.testsupport.SpringBootLine;
import org.aopalliance.aop.Advice;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.config.BaseRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listener containers get the in-progress retry when the broker library is on the
 * class path, after the application's own advice, and the starter backs off where the
 * application chose for itself.
 */
class ListenerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class,
				SpringBootLine.rabbitAutoConfiguration(), SpringBootLine.kafkaAutoConfiguration()))
		.withPropertyValues("idempotency.store=in-memory");

	@Test
	void rabbitListenerContainersWaitForAKeyInFlightInnermostInTheirAdviceChain() {
		this.contextRunner.withPropertyValues("spring.rabbitmq.listener.simple.retry.enabled=true").run((context) -> {
			List<Advice> chain = adviceChain(context);
			assertThat(chain).hasSize(2);
			assertThat(chain.get(1)).isInstanceOf(InProgressWaitAdvice.class);
			assertThat(chain.get(0)).isNotInstanceOf(InProgressWaitAdvice.class);
		});
		this.contextRunner.run(
				(context) -> assertThat(adviceChain(context)).singleElement().isInstanceOf(InProgressWaitAdvice.class));
	}

	@Test
	void kafkaListenerContainersRetryAKeyInFlightWithBackOff() {
		this.contextRunner.run((context) -> assertThat(context).getBean("idempotencyKafkaErrorHandler")
			.isInstanceOf(DefaultErrorHandler.class));
	}

	@Test
	void theApplicationsOwnKafkaErrorHandlerWins() {
		CommonErrorHandler own = new CommonLoggingErrorHandler();
		this.contextRunner.withBean(CommonErrorHandler.class, () -> own).run((context) -> {
			assertThat(context).doesNotHaveBean("idempotencyKafkaErrorHandler");
			assertThat(context.getBean(CommonErrorHandler.class)).isSameAs(own);
		});
	}

	@Test
	void switchedOffNothingIsAdded() {
		this.contextRunner.withPropertyValues("idempotency.listener.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(InProgressWaitPostProcessor.class)
				.doesNotHaveBean("idempotencyKafkaErrorHandler");
			assertThat(adviceChain(context)).isEmpty();
		});
	}

	@Test
	void withoutTheBrokerLibrariesNothingIsAddedAndTheRestStarts() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
			.withPropertyValues("idempotency.store=in-memory")
			.withClassLoader(new FilteredClassLoader("org.springframework.amqp", "org.springframework.kafka"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(InProgressWaitPostProcessor.class)
				.doesNotHaveBean("idempotencyKafkaErrorHandler"));
	}

	private static List<Advice> adviceChain(AssertableApplicationContext context) {
		BaseRabbitListenerContainerFactory<?> factory = context.getBean(SimpleRabbitListenerContainerFactory.class);
		Advice[] chain = factory.getAdviceChain();
		return (chain != null) ? List.of(chain) : List.of();
	}

}
