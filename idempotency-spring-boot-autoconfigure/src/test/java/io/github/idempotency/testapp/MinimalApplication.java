package io.github.idempotency.testapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The idempotent test endpoints with nothing else: no meter registry and no aspect of its
 * own, so it starts on a class path without Micrometer, Actuator, Spring Security and
 * AspectJ.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ TestController.class, ExecutionsController.class, Executions.class, Gate.class })
public class MinimalApplication {

	/**
	 * Starts the application in a process of its own.
	 * @param args Spring Boot arguments
	 */
	public static void main(String[] args) {
		SpringApplication.run(MinimalApplication.class, args);
	}

}
