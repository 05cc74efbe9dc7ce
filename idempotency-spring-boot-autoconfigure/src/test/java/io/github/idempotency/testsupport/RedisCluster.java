package io.github.idempotency.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of {@code redis-server} processes the test starts on free ports,
 * created with {@code redis-cli --cluster create} and ready once every node reports
 * {@code cluster_state:ok}.
 */
public final class RedisCluster implements AutoCloseable {

	private final List<RedisServerProcess> nodes;

	private RedisCluster(List<RedisServerProcess> nodes) {
		this.nodes = nodes;
	}

	/**
	 * Starts a cluster of masters without replicas, all 16384 slots assigned.
	 * @param masters the number of masters (at least 3)
	 * @return the running cluster
	 */
	public static RedisCluster start(int masters) {
		List<RedisServerProcess> nodes = new ArrayList<>();
		for (int i = 0; i < masters; i++) {
			nodes.add(RedisServerProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
					"--cluster-node-timeout", "5000"));
		}
		RedisCluster cluster = new RedisCluster(nodes);
		List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
		create.addAll(cluster.nodeAddresses());
		create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		RedisServerProcess.run(create);
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> nodes.stream()
				.allMatch((node) -> node.cli("cluster", "info").contains("cluster_state:ok")
						&& node.cli("cluster", "info").contains("cluster_slots_assigned:16384")));
		return cluster;
	}

	public List<RedisServerProcess> nodes() {
		return this.nodes;
	}

	/**
	 * @return the nodes as {@code host:port}, as {@code spring.data.redis.cluster.nodes}
	 * takes them
	 */
	public List<String> nodeAddresses() {
		return this.nodes.stream().map((node) -> node.host() + ":" + node.port()).toList();
	}

	/**
	 * Counts the keys matching a pattern on each node.
	 * @param pattern a {@code SCAN} pattern
	 * @return the count by {@code host:port}
	 */
	public Map<String, Integer> keyCountsByNode(String pattern) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (RedisServerProcess node : this.nodes) {
			String keys = node.cli("--scan", "--pattern", pattern);
			counts.put(node.host() + ":" + node.port(), keys.isBlank() ? 0 : keys.split("\n").length);
		}
		return counts;
	}

	@Override
	public void close() {
		this.nodes.forEach(RedisServerProcess::close);
	}

}
