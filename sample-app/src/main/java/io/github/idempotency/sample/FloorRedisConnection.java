package io.github.idempotency.sample;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;

import org.springframework.core.env.Environment;

/**
 * The Redis connection of the benchmark's Redis floors: one Lettuce connection of their
 * own to {@code spring.data.redis.host}/{@code port}, with the owner-checked completion
 * script loaded, so a completion is one {@code EVALSHA}.
 */
final class FloorRedisConnection implements AutoCloseable {

	/**
	 * The claim: {@code SET key claim NX GET PX lock} claims, or returns what is there.
	 */
	static final SetArgs CLAIM = SetArgs.Builder.nx().px(FloorRecords.LOCK_MILLIS);

	/** The ttl of a finished record, as the completion script's argument. */
	static final String TTL = Long.toString(FloorRecords.TTL_MILLIS);

	private static final String COMPLETE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
			+ "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0";

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final String completeSha;

	FloorRedisConnection(Environment environment) {
		this.client = RedisClient.create(RedisURI.create(environment.getProperty("spring.data.redis.host", "localhost"),
				environment.getProperty("spring.data.redis.port", Integer.class, 6379)));
		this.connection = this.client.connect();
		this.completeSha = this.connection.sync().scriptLoad(COMPLETE);
	}

	StatefulRedisConnection<String, String> connection() {
		return this.connection;
	}

	/**
	 * The SHA of the script that completes a claim: KEYS[1] key, ARGV claim, record, ttl.
	 */
	String completeSha() {
		return this.completeSha;
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown();
	}

}
