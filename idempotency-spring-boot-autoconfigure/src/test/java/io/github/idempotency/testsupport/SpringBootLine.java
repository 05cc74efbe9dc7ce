package io.github.idempotency.testsupport;

import org.springframework.boot.SpringBootVersion;
import org.springframework.util.ClassUtils;

/**
 * The Spring Boot line the tests run on (3.x by default, 4.x with {@code -Pboot4}), and
 * the auto-configuration classes that moved between them, loaded by name so one test
 * source serves both lines. A name that does not exist on the running line fails the test
 * that asks for it.
 */
public final class SpringBootLine {

	/** Whether the tests run on Spring Boot 4. */
	public static final boolean BOOT4 = SpringBootVersion.getVersion().startsWith("4.");

	private SpringBootLine() {
	}

	/**
	 * @return the Redis auto-configuration
	 */
	public static Class<?> redisAutoConfiguration() {
		return either("org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration",
				"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration");
	}

	/**
	 * @return the RabbitMQ auto-configuration
	 */
	public static Class<?> rabbitAutoConfiguration() {
		return either("org.springframework.boot.autoconfigure.amqp.RabbitAutoConfiguration",
				"org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration");
	}

	/**
	 * @return the Kafka auto-configuration
	 */
	public static Class<?> kafkaAutoConfiguration() {
		return either("org.springframework.boot.autoconfigure.kafka.KafkaAutoConfiguration",
				"org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration");
	}

	/**
	 * @return the DataSource auto-configuration
	 */
	public static Class<?> dataSourceAutoConfiguration() {
		return either("org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
				"org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
	}

	/**
	 * @return the Jackson auto-configuration: Jackson 2 on Spring Boot 3, Jackson 3 on
	 * Spring Boot 4
	 */
	public static Class<?> jacksonAutoConfiguration() {
		return either("org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
				"org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration");
	}

	/**
	 * @return the dispatcher servlet, MVC, message converter and Jackson
	 * auto-configurations
	 */
	public static Class<?>[] webMvcAutoConfigurations() {
		return new Class<?>[] {
				either("org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration",
						"org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration"),
				either("org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration",
						"org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration"),
				either("org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration",
						"org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration"),
				jacksonAutoConfiguration() };
	}

	/**
	 * @return the WebFlux and Jackson auto-configurations
	 */
	public static Class<?>[] webFluxAutoConfigurations() {
		return new Class<?>[] {
				either("org.springframework.boot.autoconfigure.web.reactive.WebFluxAutoConfiguration",
						"org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration"),
				jacksonAutoConfiguration() };
	}

	/**
	 * @return the Actuator health, endpoint and availability auto-configurations
	 */
	public static Class<?>[] healthAutoConfigurations() {
		return new Class<?>[] {
				either("org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration",
						"org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration"),
				either("org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration",
						"org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration"),
				either("org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration",
						"org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration"),
				either("org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration",
						"org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration"),
				either("org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration",
						"org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration"),
				either("org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration",
						"org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration"),
				either("org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration",
						"org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration") };
	}

	/**
	 * Loads the class of the running line.
	 * @param boot3 its name on Spring Boot 3
	 * @param boot4 its name on Spring Boot 4
	 * @return the class
	 */
	public static Class<?> either(String boot3, String boot4) {
		String name = BOOT4 ? boot4 : boot3;
		try {
			return ClassUtils.forName(name, SpringBootLine.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new IllegalStateException(name + " does not exist on Spring Boot " + SpringBootVersion.getVersion(),
					ex);
		}
	}

}
