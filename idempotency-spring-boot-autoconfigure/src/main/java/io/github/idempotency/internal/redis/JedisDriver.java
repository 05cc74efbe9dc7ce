package io.github.idempotency.internal.redis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import io.github.idempotency.IdempotencyStoreException;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * The Jedis driver, through Spring Data Redis's blocking API: script calls on threads of
 * the store ({@link JedisScriptTransport}), and PING or loading the scripts on every node
 * in use (every primary of a Cluster). Each node call is bounded by Jedis's own connect
 * and socket timeouts ({@code spring.data.redis.connect-timeout},
 * {@code spring.data.redis.timeout}).
 */
final class JedisDriver implements RedisDriver {

	private final JedisConnectionFactory connectionFactory;

	private final RedisTarget target;

	JedisDriver(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = (JedisConnectionFactory) connectionFactory;
		JedisConnectionFactory factory = this.connectionFactory;
		this.target = RedisTarget.of(factory.isRedisClusterAware() ? factory.getClusterConfiguration() : null,
				factory.isRedisSentinelAware() ? factory.getSentinelConfiguration() : null,
				factory.getStandaloneConfiguration(), factory.getClientConfiguration().getConnectTimeout());
	}

	static boolean supports(RedisConnectionFactory connectionFactory) {
		return connectionFactory instanceof JedisConnectionFactory;
	}

	@Override
	public RedisTarget target() {
		return this.target;
	}

	@Override
	public ScriptTransport transport(ScriptTransport.Settings settings) {
		return new JedisScriptTransport(this.connectionFactory, settings);
	}

	@Override
	public Map<String, String> warmUp(RedisConnection connection, long timeoutNanos) {
		for (var script : RedisRecordScripts.ALL) {
			// On a Cluster, Spring Data loads a script on every node
			connection.scriptingCommands().scriptLoad(script.bytes());
		}
		return onEach(connection,
				(node) -> version(
						(node != null) ? ((RedisClusterConnection) connection).serverCommands().info(node, "server")
								: connection.serverCommands().info("server")));
	}

	private static String version(Properties info) {
		String version = (info != null) ? info.getProperty("redis_version") : null;
		return (version != null) ? version.trim() : RedisServerVersion.UNKNOWN;
	}

	@Override
	public Map<String, String> ping(RedisConnection connection, long timeoutNanos) {
		if (connection instanceof RedisClusterConnection cluster) {
			return onEach(connection, cluster::ping);
		}
		return Map.of(this.target.connectionName(), String.valueOf(connection.ping()));
	}

	private Map<String, String> onEach(RedisConnection connection, Function<RedisClusterNode, String> command) {
		try {
			if (!(connection instanceof RedisClusterConnection cluster)) {
				return Map.of(this.target.connectionName(), command.apply(null));
			}
			Map<String, String> replies = new LinkedHashMap<>();
			for (RedisClusterNode node : cluster.clusterGetNodes()) {
				if (node.isMaster() && node.getSlotRange() != null && !node.getSlotRange().getSlots().isEmpty()) {
					replies.put(node.getHost() + ":" + node.getPort(), command.apply(node));
				}
			}
			return replies;
		}
		catch (RuntimeException ex) {
			throw new IdempotencyStoreException("Redis failed: " + ex.getMessage(), ex);
		}
	}

}
