package io.github.idempotency.redis;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.idempotency.IdempotencyStoreException;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * What {@link RedisStoreConnector} needs from a Jedis connection factory, through Spring Data
 * Redis's blocking API: where it connects, and PING or loading the scripts on every node in
 * use (every primary of a Cluster). Each call is bounded by Jedis's own connect and socket
 * timeouts ({@code spring.data.redis.connect-timeout}, {@code spring.data.redis.timeout}).
 */
final class JedisNodes {

	private JedisNodes() {
	}

	static RedisTarget target(JedisConnectionFactory factory) {
		return RedisTarget.of(factory.isRedisClusterAware() ? factory.getClusterConfiguration() : null,
				factory.isRedisSentinelAware() ? factory.getSentinelConfiguration() : null,
				factory.getStandaloneConfiguration(), factory.getClientConfiguration().getConnectTimeout());
	}

	static Map<String, String> loadScripts(RedisConnection connection, String standalone) {
		StringBuilder digests = new StringBuilder();
		for (var script : RedisNodes.SCRIPTS) {
			// On a Cluster, Spring Data loads a script on every node
			String digest = connection.scriptingCommands()
				.scriptLoad(script.getScriptAsString().getBytes(StandardCharsets.UTF_8));
			digests.append((digests.length() > 0) ? "," : "").append(digest);
		}
		return onEach(connection, standalone, (node) -> digests.toString());
	}

	static Map<String, String> ping(RedisConnection connection, String standalone) {
		if (connection instanceof RedisClusterConnection cluster) {
			return onEach(connection, standalone, cluster::ping);
		}
		return Map.of(standalone, String.valueOf(connection.ping()));
	}

	private static Map<String, String> onEach(RedisConnection connection, String standalone,
			java.util.function.Function<RedisClusterNode, String> command) {
		try {
			if (!(connection instanceof RedisClusterConnection cluster)) {
				return Map.of(standalone, command.apply(null));
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
