package io.github.idempotency.internal.amqp;

import java.util.Arrays;

import org.aopalliance.aop.Advice;

import org.springframework.amqp.rabbit.config.BaseRabbitListenerContainerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Adds {@link InProgressWaitAdvice} to every RabbitMQ listener container factory (Spring
 * Boot's and the application's own), innermost in the advice chain, so a retry
 * interceptor the application configured still sees every other exception. A factory
 * whose chain has an {@code InProgressWaitAdvice} already is left alone.
 */
public final class InProgressWaitPostProcessor implements BeanPostProcessor {

	private final InProgressWaitAdvice advice;

	/**
	 * Creates the post-processor.
	 * @param advice the advice to add
	 */
	public InProgressWaitPostProcessor(InProgressWaitAdvice advice) {
		this.advice = advice;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof BaseRabbitListenerContainerFactory<?> factory) {
			Advice[] chain = factory.getAdviceChain();
			Advice[] current = (chain != null) ? chain : new Advice[0];
			if (Arrays.stream(current).noneMatch(InProgressWaitAdvice.class::isInstance)) {
				Advice[] extended = Arrays.copyOf(current, current.length + 1);
				extended[current.length] = this.advice;
				factory.setAdviceChain(extended);
			}
		}
		return bean;
	}

}
