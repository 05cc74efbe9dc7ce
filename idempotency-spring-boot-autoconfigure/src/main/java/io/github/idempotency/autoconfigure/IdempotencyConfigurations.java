package io.github.idempotency.autoconfigure;

import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.ResponseEncryptionKeys;
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore;
import io.github.idempotency.internal.memory.InMemoryStoreConnection;
import io.github.idempotency.internal.micrometer.MicrometerIdempotencyObserver;
import io.github.idempotency.internal.record.RecordCodec;
import io.github.idempotency.internal.record.ResponseCipher;
import io.github.idempotency.internal.redis.RedisIdempotencyStore;
import io.github.idempotency.internal.redis.RedisStoreConnector;
import io.github.idempotency.internal.security.SecurityContextScopeResolver;
import io.github.idempotency.internal.store.StoreConnection;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The store and the optional integrations, imported by
 * {@link IdempotencyAutoConfiguration} in order: Redis before the in-memory fallback, and
 * each integration before the defaults it replaces. Each is guarded by its own conditions
 * so a missing jar never breaks start-up.
 */
abstract class IdempotencyConfigurations {

	/**
	 * The Redis store on the application's single {@link RedisConnectionFactory}, Lettuce
	 * or Jedis. A factory of another client fails start-up with a message rather than
	 * quietly keeping records in one JVM's heap, which would break idempotency across
	 * instances.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RedisConnectionFactory.class)
	@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
	@ConditionalOnProperty(prefix = "idempotency", name = "store", havingValue = "redis", matchIfMissing = true)
	static class RedisStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RedisStoreConnector idempotencyRedisConnector(RedisConnectionFactory connectionFactory,
				IdempotencyProperties properties) {
			return new RedisStoreConnector(connectionFactory, properties.getStoreTimeout());
		}

		@Bean
		@ConditionalOnMissingBean
		IdempotencyStore idempotencyStore(RedisConnectionFactory connectionFactory, IdempotencyProperties properties,
				RedisStoreConnector connector, ObjectProvider<ResponseEncryptionKeys> encryptionKeys) {
			return connector.guard(new RedisIdempotencyStore(connectionFactory, properties.getStoreTimeout(),
					properties.getReplication().getMinReplicas(), properties.getReplication().getTimeout(),
					recordCodec(properties, encryptionKeys)));
		}

	}

	/**
	 * The in-memory store when it is chosen, or when {@code idempotency.store} is not set
	 * and the application has no {@link RedisConnectionFactory} at all. Several factories
	 * without a primary one are not a reason to keep records in one JVM's heap: start-up
	 * fails instead.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(prefix = "idempotency", name = "store", havingValue = "in-memory", matchIfMissing = true)
	@Conditional(InMemoryStoreConfiguration.ChosenOrNoRedis.class)
	static class InMemoryStoreConfiguration {

		static final class ChosenOrNoRedis extends AnyNestedCondition {

			ChosenOrNoRedis() {
				super(ConfigurationPhase.REGISTER_BEAN);
			}

			@ConditionalOnProperty(prefix = "idempotency", name = "store", havingValue = "in-memory")
			static class Chosen {

			}

			@ConditionalOnMissingBean(type = "org.springframework.data.redis.connection.RedisConnectionFactory")
			static class NoRedisConnectionFactory {

			}

		}

		@Bean
		@ConditionalOnMissingBean(IdempotencyStore.class)
		InMemoryIdempotencyStore idempotencyStore(IdempotencyProperties properties,
				ObjectProvider<ResponseEncryptionKeys> encryptionKeys) {
			return new InMemoryIdempotencyStore(properties.getInMemory().getMaxEntries(),
					recordCodec(properties, encryptionKeys));
		}

		@Bean
		@ConditionalOnBean(InMemoryIdempotencyStore.class)
		@ConditionalOnMissingBean(StoreConnection.class)
		InMemoryStoreConnection idempotencyInMemoryStoreConnection(InMemoryIdempotencyStore store) {
			return new InMemoryStoreConnection(store);
		}

	}

	/**
	 * The record format of the built-in stores: compressed above the threshold, and
	 * encrypted when the application has encryption keys.
	 */
	static RecordCodec recordCodec(IdempotencyProperties properties,
			ObjectProvider<ResponseEncryptionKeys> encryptionKeys) {
		long threshold = properties.getCompression().getThreshold().toBytes();
		ResponseEncryptionKeys keys = encryptionKeys.getIfAvailable();
		if (keys == null) {
			EncryptionSettings.checkCurrentKeyNamed(properties.getEncryption());
		}
		return new RecordCodec((int) Math.min(Math.max(threshold, 0), Integer.MAX_VALUE),
				(keys != null) ? new ResponseCipher(keys) : null);
	}

	/** The caller's scope from Spring Security, imported by the Spring MVC door. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SecurityContextHolder.class)
	static class SecurityScopeConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IdempotencyScopeResolver idempotencyScopeResolver() {
			return new SecurityContextScopeResolver();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MicrometerConfiguration {

		@Bean
		@ConditionalOnMissingBean
		IdempotencyObserver idempotencyObserver(MeterRegistry registry) {
			return new MicrometerIdempotencyObserver(registry);
		}

	}

}
