package io.github.idempotency.internal.client;

import io.github.idempotency.client.IdempotencyExchangeFilterFunction;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The {@code WebClient} part of {@link IdempotencyClientsPostProcessor}, in a class of
 * its own so that nothing loads Spring WebFlux's types in an application without it.
 */
final class WebClients {

	private WebClients() {
	}

	static void addFilter(Object bean, BeanFactory beanFactory) {
		if (bean instanceof WebClient.Builder builder) {
			IdempotencyExchangeFilterFunction function = beanFactory
				.getBeanProvider(IdempotencyExchangeFilterFunction.class)
				.getIfAvailable();
			if (function != null) {
				builder.filters((filters) -> {
					if (filters.stream().noneMatch(IdempotencyExchangeFilterFunction.class::isInstance)) {
						filters.add(function);
					}
				});
			}
		}
	}

}
