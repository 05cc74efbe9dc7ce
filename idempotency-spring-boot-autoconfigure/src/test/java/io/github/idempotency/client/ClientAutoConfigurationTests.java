package io.github.idempotency.client;

import java.time.Duration;
import java.util.Set;

import io.github.idempotency.autoconfigure.IdempotencyClientAutoConfiguration;
import io.github.idempotency.internal.client.IdempotencyClientsPostProcessor;
import io.github.idempotency.internal.micrometer.MicrometerClientOutcomes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpMethod;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client half is off unless switched on, takes its settings from the properties,
 * reaches the application's clients, backs off for the application's own beans, and needs
 * neither Micrometer nor Spring WebFlux.
 */
class ClientAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyClientAutoConfiguration.class));

	@Test
	void offByDefault() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(IdempotencyClientInterceptor.class)
			.doesNotHaveBean(IdempotencyClientsPostProcessor.class));
	}

	@Test
	void switchedOnItReachesTheApplicationsClientsWithThePropertiesSettings() {
		this.contextRunner
			.withPropertyValues("idempotency.client.enabled=true", "idempotency.client.methods=POST,PUT",
					"idempotency.client.header-name=X-Key", "idempotency.client.max-attempts=5",
					"idempotency.client.initial-backoff=1s", "idempotency.client.max-backoff=4s",
					"idempotency.client.max-retry-after=30s")
			.withBean("restClientBuilder", RestClient.Builder.class, RestClient::builder)
			.withBean(RestTemplate.class)
			.run((context) -> {
				assertThat(context.getBean(ClientRetryPolicy.class))
					.isEqualTo(new ClientRetryPolicy(Set.of(HttpMethod.POST, HttpMethod.PUT), "X-Key", 5,
							Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofSeconds(30)));
				IdempotencyClientInterceptor interceptor = context.getBean(IdempotencyClientInterceptor.class);
				assertThat(context.getBean(RestTemplate.class).getInterceptors()).containsExactly(interceptor);
				context.getBean(RestClient.Builder.class)
					.requestInterceptors((interceptors) -> assertThat(interceptors).containsExactly(interceptor));
				assertThat(context).hasSingleBean(IdempotencyExchangeFilterFunction.class);
			});
	}

	@Test
	void withMicrometerEveryCallIsCounted() {
		this.contextRunner.withPropertyValues("idempotency.client.enabled=true")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context.getBean(ClientOutcomes.class))
				.isInstanceOf(MicrometerClientOutcomes.class));
	}

	@Test
	void theApplicationsOwnBeansWin() {
		IdempotencyKeys keys = new IdempotencyKeys();
		this.contextRunner.withPropertyValues("idempotency.client.enabled=true")
			.withBean(IdempotencyKeys.class, () -> keys)
			.withBean(ClientRetryPolicy.class, () -> ClientRetryPolicy.DEFAULT)
			.run((context) -> {
				assertThat(context.getBean(IdempotencyKeys.class)).isSameAs(keys);
				assertThat(context.getBean(ClientRetryPolicy.class)).isSameAs(ClientRetryPolicy.DEFAULT);
			});
	}

	@Test
	void withoutSpringWebFluxOrMicrometerRestClientsStillGetIt() {
		this.contextRunner.withPropertyValues("idempotency.client.enabled=true")
			.withClassLoader(new FilteredClassLoader("org.springframework.web.reactive", "io.micrometer.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(IdempotencyClientInterceptor.class);
				assertThat(context).doesNotHaveBean(IdempotencyExchangeFilterFunction.class);
				assertThat(context.getBean(ClientOutcomes.class)).isSameAs(ClientOutcomes.NONE);
			});
	}

}
