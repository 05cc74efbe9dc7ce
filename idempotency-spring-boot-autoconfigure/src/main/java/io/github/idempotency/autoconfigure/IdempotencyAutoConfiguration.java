package io.github.idempotency.autoconfigure;

import java.time.Duration;
import java.util.Set;

import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.startup.IdempotencyStartup;
import io.github.idempotency.internal.store.StoreConnection;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration for {@link io.github.idempotency.Idempotent @Idempotent}: a store
 * (Redis when a {@link RedisConnectionFactory} exists, otherwise in-memory; the
 * application's database when {@code idempotency.store=jdbc}), metrics when Micrometer is
 * present, the claim sequence every door shares, and the doors themselves: Spring MVC
 * handler methods in a servlet web application ({@link IdempotencyWebMvcConfiguration}),
 * WebFlux handler methods in a reactive one ({@link IdempotencyWebFluxConfiguration}) and
 * bean methods with a key expression in any application
 * ({@link IdempotentMethodConfiguration}). Every bean backs off when the application
 * defines its own.
 */
@AutoConfiguration(after = AopAutoConfiguration.class, afterName = {
		SpringBootClassNames.BOOT3_REDIS_AUTO_CONFIGURATION, SpringBootClassNames.BOOT4_REDIS_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT3_METRICS_AUTO_CONFIGURATION, SpringBootClassNames.BOOT4_METRICS_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT3_COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT4_COMPOSITE_METER_REGISTRY_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT3_JACKSON_AUTO_CONFIGURATION, SpringBootClassNames.BOOT4_JACKSON_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT3_DATA_SOURCE_AUTO_CONFIGURATION,
		SpringBootClassNames.BOOT4_DATA_SOURCE_AUTO_CONFIGURATION })
@ConditionalOnProperty(prefix = "idempotency", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(IdempotencyProperties.class)
@ImportRuntimeHints(IdempotencyRuntimeHints.class)
@Import({ AdvisorAutoProxying.class, IdempotencyConfigurations.RedisStoreConfiguration.class,
		JdbcStoreConfiguration.class, IdempotencyConfigurations.InMemoryStoreConfiguration.class,
		IdempotencyConfigurations.MicrometerConfiguration.class, IdempotencyWebMvcConfiguration.class,
		IdempotencyWebFluxConfiguration.class, OpenApiDocumentConfiguration.class,
		IdempotencyEndpointConfiguration.class, IdempotentMethodConfiguration.class,
		IdempotentListenerConfiguration.class, ResponseEncryptionConfiguration.class })
public class IdempotencyAutoConfiguration {

	private static final String TRACER = "io.micrometer.tracing.Tracer";

	@Bean
	@ConditionalOnMissingBean
	IdempotencyObserver idempotencyObserver() {
		return IdempotencyObserver.NONE;
	}

	/**
	 * Which responses the web doors store: below 500, except the statuses configured not
	 * to be.
	 */
	@Bean
	@ConditionalOnMissingBean
	ResponseStoragePolicy idempotencyResponseStoragePolicy(IdempotencyProperties properties) {
		Set<Integer> unstored = Set.copyOf(properties.getUnstoredStatuses());
		return (status) -> status < 500 && !unstored.contains(status);
	}

	@Bean
	@ConditionalOnMissingBean
	ClaimSequence idempotencyClaimSequence(ObjectProvider<IdempotencyStore> stores, IdempotencyObserver observer,
			IdempotencyProperties properties, Environment environment, ObjectProvider<ObservationRegistry> observations,
			ListableBeanFactory beanFactory) {
		return new ClaimSequence(requireStore(stores, environment), observer, properties.getStoreFailure(),
				observe(properties.getObservations().getEnabled(), beanFactory)
						? observations.getIfUnique(() -> ObservationRegistry.NOOP) : ObservationRegistry.NOOP,
				properties.getRenewalLimit());
	}

	/** Calls are observed when asked to, or by default when the application traces. */
	private static boolean observe(@Nullable Boolean enabled, ListableBeanFactory beanFactory) {
		if (enabled != null) {
			return enabled;
		}
		ClassLoader classLoader = IdempotencyAutoConfiguration.class.getClassLoader();
		if (!ClassUtils.isPresent(TRACER, classLoader)) {
			return false;
		}
		return beanFactory.getBeanNamesForType(ClassUtils.resolveClassName(TRACER, classLoader), true,
				false).length > 0;
	}

	private static IdempotencyStore requireStore(ObjectProvider<IdempotencyStore> stores, Environment environment) {
		IdempotencyStore store = stores.getIfAvailable();
		if (store == null) {
			throw new IllegalStateException("No IdempotencyStore for idempotency.store="
					+ environment.getProperty("idempotency.store", "(not set)")
					+ ": use 'redis' (needs one RedisConnectionFactory, Lettuce or Jedis, from spring.data.redis.*; of several, "
					+ "mark the one for idempotency records @Primary), 'jdbc' (needs spring-jdbc and one DataSource, from "
					+ "spring.datasource.*) or 'in-memory', or define an IdempotencyStore bean");
		}
		return store;
	}

	@Bean
	@ConditionalOnMissingBean
	IdempotencyStartup idempotencyStartup(ObjectProvider<IdempotencyStore> stores,
			ObjectProvider<StoreConnection> connection, IdempotencyProperties properties) {
		StoreConnection storeConnection = connection
			.getIfUnique(() -> StoreConnection.unmanaged(stores.getIfAvailable()));
		return new IdempotencyStartup(
				"Idempotency records go to " + storeConnection.target() + "; ttl " + format(properties.getTtl())
						+ ", lock timeout " + format(properties.getLockTimeout()),
				storeConnection, properties.getStartup().getWaitForStore());
	}

	/**
	 * A duration as the start-up line writes it: {@code 24h}, {@code 30s},
	 * {@code 1500ms}.
	 */
	static String format(Duration duration) {
		long millis = duration.toMillis();
		long[] units = { 3_600_000, 60_000, 1_000 };
		String[] names = { "h", "m", "s" };
		for (int i = 0; i < units.length; i++) {
			if (millis != 0 && millis % units[i] == 0) {
				return (millis / units[i]) + names[i];
			}
		}
		return millis + "ms";
	}

}
