package io.github.idempotency.internal.client;

import java.util.List;

import io.github.idempotency.client.IdempotencyClientInterceptor;
import io.github.idempotency.client.IdempotencyExchangeFilterFunction;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Puts the client half on the HTTP clients of the application: every
 * {@code RestClient.Builder} bean (the one Spring Boot provides is a fresh one per
 * injection point) and every {@code RestTemplate} bean get the
 * {@link IdempotencyClientInterceptor}, every {@code WebClient.Builder} bean the
 * {@link IdempotencyExchangeFilterFunction}. A client that has them already is left
 * alone.
 */
public final class IdempotencyClientsPostProcessor implements BeanPostProcessor {

	private static final boolean WEBFLUX = ClassUtils.isPresent(
			"org.springframework.web.reactive.function.client.WebClient",
			IdempotencyClientsPostProcessor.class.getClassLoader());

	private final ObjectProvider<IdempotencyClientInterceptor> interceptor;

	private final BeanFactory beanFactory;

	/**
	 * Creates the post-processor; it finds the interceptor and the filter when the first
	 * client is created. Nothing in its signatures names a Spring WebFlux type, so it
	 * loads without it.
	 * @param interceptor the RestClient and RestTemplate interceptor
	 * @param beanFactory where the WebClient filter is found, when Spring WebFlux is
	 * present
	 */
	public IdempotencyClientsPostProcessor(ObjectProvider<IdempotencyClientInterceptor> interceptor,
			BeanFactory beanFactory) {
		this.interceptor = interceptor;
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof RestClient.Builder builder) {
			builder.requestInterceptors((interceptors) -> addOnce(interceptors, this.interceptor.getObject()));
		}
		else if (bean instanceof RestTemplate template) {
			addOnce(template.getInterceptors(), this.interceptor.getObject());
		}
		else if (WEBFLUX) {
			WebClients.addFilter(bean, this.beanFactory);
		}
		return bean;
	}

	private static void addOnce(List<ClientHttpRequestInterceptor> interceptors,
			IdempotencyClientInterceptor interceptor) {
		if (interceptors.stream().noneMatch(IdempotencyClientInterceptor.class::isInstance)) {
			interceptors.add(interceptor);
		}
	}

}
