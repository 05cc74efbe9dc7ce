package io.github.idempotency.autoconfigure;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.transaction.ConfigurableTransactionManager;
import org.springframework.transaction.TransactionExecutionListener;

/**
 * Adds a transaction listener to every transaction manager of the application that takes
 * listeners, Spring Boot's and the application's own alike.
 */
final class TransactionListenerRegistrar implements BeanPostProcessor {

	private final TransactionExecutionListener listener;

	TransactionListenerRegistrar(TransactionExecutionListener listener) {
		this.listener = listener;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ConfigurableTransactionManager manager
				&& !manager.getTransactionExecutionListeners().contains(this.listener)) {
			manager.addListener(this.listener);
		}
		return bean;
	}

}
