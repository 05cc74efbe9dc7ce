package io.github.idempotency.autoconfigure;

/**
 * Spring Boot classes this starter refers to by name because they moved between Spring
 * Boot 3 and Spring Boot 4: one constant per line, so one compiled starter orders itself
 * and switches its integrations on correctly on both. A test checks that each
 * {@code BOOT3_} name exists on Spring Boot 3 and each {@code BOOT4_} name on Spring Boot
 * 4.
 */
final class SpringBootClassNames {

	static final String BOOT3_REDIS_AUTO_CONFIGURATION = "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration";

	static final String BOOT4_REDIS_AUTO_CONFIGURATION = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration";

	static final String BOOT3_METRICS_AUTO_CONFIGURATION = "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration";

	static final String BOOT4_METRICS_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration";

	static final String BOOT3_COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration";

	static final String BOOT4_COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration";

	static final String BOOT3_AVAILABILITY_PROBES_AUTO_CONFIGURATION = "org.springframework.boot.actuate.autoconfigure.availability.AvailabilityProbesAutoConfiguration";

	static final String BOOT4_AVAILABILITY_PROBES_AUTO_CONFIGURATION = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration";

	static final String BOOT3_DATA_SOURCE_AUTO_CONFIGURATION = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration";

	static final String BOOT4_DATA_SOURCE_AUTO_CONFIGURATION = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

	static final String BOOT3_JACKSON_AUTO_CONFIGURATION = "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration";

	static final String BOOT4_JACKSON_AUTO_CONFIGURATION = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration";

	private SpringBootClassNames() {
	}

}
