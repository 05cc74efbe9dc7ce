package io.github.idempotency.internal.redis;

import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisSentinelConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

/**
 * Where a Lettuce or Jedis connection factory connects: the mode (standalone, Sentinel or
 * Cluster), the configured nodes, and how long opening a connection may take
 * ({@code spring.data.redis.connect-timeout}).
 *
 * @param mode {@code standalone}, {@code Sentinel} or {@code Cluster}
 * @param nodes the configured nodes as {@code host:port}
 * @param connectTimeout the longest opening a connection may take
 */
record RedisTarget(String mode, List<String> nodes, Duration connectTimeout) {

	static RedisTarget of(@Nullable RedisClusterConfiguration cluster, @Nullable RedisSentinelConfiguration sentinel,
			@Nullable RedisStandaloneConfiguration standalone, Duration connectTimeout) {
		if (cluster != null) {
			return new RedisTarget("Cluster", addresses(cluster.getClusterNodes()), connectTimeout);
		}
		if (sentinel != null) {
			List<String> nodes = addresses(sentinel.getSentinels());
			String master = (sentinel.getMaster() != null) ? sentinel.getMaster().getName() : "?";
			return new RedisTarget("Sentinel, master " + master, nodes, connectTimeout);
		}
		RedisStandaloneConfiguration node = (standalone != null) ? standalone : new RedisStandaloneConfiguration();
		return new RedisTarget("standalone", List.of(node.getHostName() + ":" + node.getPort()), connectTimeout);
	}

	/**
	 * @return how to name the one connection of a standalone or Sentinel setup
	 */
	String connectionName() {
		return this.mode.startsWith("Sentinel") ? this.mode.substring("Sentinel, ".length()) : this.nodes.get(0);
	}

	private static List<String> addresses(Iterable<RedisNode> nodes) {
		return StreamSupport.stream(nodes.spliterator(), false)
			.map((node) -> node.getHost() + ":" + node.getPort())
			.toList();
	}

	@Override
	public String toString() {
		return "Redis (" + this.mode + ", " + String.join(", ", this.nodes) + ")";
	}

}
