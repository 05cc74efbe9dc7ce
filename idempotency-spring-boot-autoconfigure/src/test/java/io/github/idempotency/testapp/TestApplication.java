package io.github.idempotency.testapp;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.View;

/**
 * A web application with idempotent endpoints that count how often they really run.
 * Spring Security is on the test class path for the scoping tests; it is left out here,
 * by the names its auto-configurations have on Spring Boot 3 and on Spring Boot 4.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
		"org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
		"org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
		"org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration" })
@Import({ TestController.class, ApiOrdersController.class, ReceiptsController.class, ResultsController.class,
		ExceptionsController.class, StreamsController.class, ExecutionsController.class, Executions.class, Gate.class,
		StreamSignal.class, AuditAspect.class, EventReceipts.class, EventsController.class, BodyReads.class,
		BodyReadingFilters.class, AsyncHandlersController.class })
public class TestApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	View receiptView() {
		return new ResultsController.ReceiptView();
	}

	/**
	 * Starts the application in a process of its own, for tests that kill it.
	 * @param args Spring Boot arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(TestApplication.class, args);
	}

}
