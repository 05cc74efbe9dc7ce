package io.github.idempotency.internal.servlet;

import java.util.List;

import io.github.idempotency.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConcurrentRequestsContract} with Spring Boot's Jedis client
 * ({@code spring.data.redis.client-type=jedis}) on the suite's standalone Redis.
 */
class JedisConcurrentRequestsTests extends ConcurrentRequestsContract {

	@Override
	protected List<String> storeSettings() {
		TestRedis redis = TestRedis.shared();
		return List.of("spring.data.redis.client-type=jedis", "spring.data.redis.host=" + redis.host(),
				"spring.data.redis.port=" + redis.port());
	}

	@Test
	void bothInstancesUseJedis() {
		assertThat(first().bean(RedisConnectionFactory.class)).isInstanceOf(JedisConnectionFactory.class);
		assertThat(second().bean(RedisConnectionFactory.class)).isInstanceOf(JedisConnectionFactory.class);
	}

}
