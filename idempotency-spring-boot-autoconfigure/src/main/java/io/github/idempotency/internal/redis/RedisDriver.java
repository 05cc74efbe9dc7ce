package io.github.idempotency.internal.redis;

import java.util.Map;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * What the Redis store needs from one Redis client library: where the connection factory
 * connects, a {@link ScriptTransport} for the store's calls, and loading the scripts on
 * and pinging every node in use. {@link LettuceDriver} and {@link JedisDriver} are the
 * only classes that name a client's own types; each is touched only after its client was
 * found on the class path, so an application with Jedis alone (or Lettuce alone) never
 * loads a class of the other client.
 */
interface RedisDriver {

	/** A class of Lettuce, present when Lettuce is. */
	String LETTUCE = "io.lettuce.core.RedisClient";

	/** A class of Jedis, present when Jedis is. */
	String JEDIS = "redis.clients.jedis.Jedis";

	/**
	 * @return where the connection factory connects
	 */
	RedisTarget target();

	/**
	 * Creates the transport of the store's script calls.
	 * @param settings timeouts and replication
	 * @return the transport
	 * @throws IllegalStateException when the client cannot provide what the settings ask
	 * for
	 */
	ScriptTransport transport(ScriptTransport.Settings settings);

	/**
	 * Loads the store's scripts on every node in use and reads each node's version.
	 * @param connection a connection from the factory
	 * @param timeoutNanos the longest to wait for every node, where the client lets a
	 * call be bounded
	 * @return each node's version ({@code INFO server}'s {@code redis_version}) by
	 * {@code host:port}
	 */
	Map<String, String> warmUp(RedisConnection connection, long timeoutNanos);

	/**
	 * Sends PING to every node in use.
	 * @param connection a connection from the factory
	 * @param timeoutNanos the longest to wait for every node, where the client lets a
	 * call be bounded
	 * @return each node's reply by {@code host:port}
	 */
	Map<String, String> ping(RedisConnection connection, long timeoutNanos);

	/**
	 * The driver of a connection factory's client.
	 * @param connectionFactory the connection factory
	 * @return its driver
	 * @throws IllegalStateException for a factory of a client without a driver
	 */
	static RedisDriver of(RedisConnectionFactory connectionFactory) {
		ClassLoader classLoader = RedisDriver.class.getClassLoader();
		if (ClassUtils.isPresent(LETTUCE, classLoader) && LettuceDriver.supports(connectionFactory)) {
			return new LettuceDriver(connectionFactory);
		}
		if (ClassUtils.isPresent(JEDIS, classLoader) && JedisDriver.supports(connectionFactory)) {
			return new JedisDriver(connectionFactory);
		}
		throw new IllegalStateException("The Redis idempotency store supports Lettuce and Jedis, but the "
				+ "RedisConnectionFactory is a " + connectionFactory.getClass().getName()
				+ ". Use one of those clients, set idempotency.store=in-memory to keep records in this JVM only, "
				+ "or define an IdempotencyStore bean.");
	}

}
