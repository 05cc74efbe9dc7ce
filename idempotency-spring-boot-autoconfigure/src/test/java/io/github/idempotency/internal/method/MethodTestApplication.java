package io.github.idempotency.internal.method;

import io.github.idempotency.testapp.Gate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * An application that is not a web application, with idempotent service methods and two
 * consumers of one message: the door off the web on its own.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class MethodTestApplication {

	@Bean
	Calls calls() {
		return new Calls();
	}

	@Bean
	Gate gate() {
		return new Gate();
	}

	@Bean
	ReceiptService receiptService(Calls calls, Gate gate) {
		return new ReceiptService(calls, gate);
	}

	@Bean
	Consumers.Audit audit(Calls calls) {
		return new Consumers.Audit(calls);
	}

	@Bean
	Consumers.Email email(Calls calls) {
		return new Consumers.Email(calls);
	}

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	/**
	 * Starts the application without a web server.
	 * @param properties {@code name=value} settings
	 * @return the running context
	 */
	public static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(MethodTestApplication.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off")
			.properties(properties)
			.run();
	}

	/**
	 * Starts the application in a process of its own, for tests that need two instances.
	 * @param args Spring Boot arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(MethodTestApplication.class, args);
	}

}
