package io.github.idempotency.internal.redis;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/** A started Jedis connection factory and a Redis store on it, closed together. */
final class JedisFixture implements AutoCloseable {

	private final JedisConnectionFactory connectionFactory;

	private final RedisIdempotencyStore store;

	private JedisFixture(JedisConnectionFactory connectionFactory) {
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		this.connectionFactory = connectionFactory;
		this.store = new RedisIdempotencyStore(connectionFactory, Duration.ofSeconds(2));
	}

	static JedisFixture standalone(String host, int port) {
		return new JedisFixture(new JedisConnectionFactory(new RedisStandaloneConfiguration(host, port)));
	}

	static JedisFixture cluster(List<String> nodes) {
		return new JedisFixture(new JedisConnectionFactory(new RedisClusterConfiguration(nodes)));
	}

	JedisConnectionFactory connectionFactory() {
		return this.connectionFactory;
	}

	RedisIdempotencyStore store() {
		return this.store;
	}

	@Override
	public void close() {
		this.store.close();
		this.connectionFactory.destroy();
	}

}
