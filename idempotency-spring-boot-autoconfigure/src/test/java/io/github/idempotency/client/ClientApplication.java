package io.github.idempotency.client;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * A service that calls an idempotent API — not a web application of its own — with the
 * client half switched on as the documentation says:
 * {@code idempotency.client.enabled=true} and Spring Boot's {@code RestClient.Builder}
 * and {@code WebClient.Builder}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ClientApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	/**
	 * Starts the caller.
	 * @param properties {@code name=value} settings
	 * @return the running caller
	 */
	public static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(ClientApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "idempotency.client.enabled=true", "idempotency.store=in-memory")
			.properties(properties)
			.run();
	}

}
