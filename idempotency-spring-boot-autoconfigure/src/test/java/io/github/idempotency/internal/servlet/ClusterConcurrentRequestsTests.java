package io.github.idempotency.internal.servlet;

import java.util.List;

import io.github.idempotency.testsupport.RedisCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConcurrentRequestsContract} on a real 3-master Redis Cluster, configured only
 * through {@code spring.data.redis.cluster.nodes}; the records spread over the nodes.
 */
class ClusterConcurrentRequestsTests extends ConcurrentRequestsContract {

	private RedisCluster cluster;

	@Override
	protected List<String> storeSettings() {
		this.cluster = RedisCluster.start(3);
		return List.of("spring.data.redis.cluster.nodes=" + String.join(",", this.cluster.nodeAddresses()),
				"idempotency.key-prefix=cluster-http");
	}

	@Override
	protected void closeStore() {
		this.cluster.close();
	}

	@Test
	void recordsLandOnMoreThanOneNode() throws Exception {
		fiftyDistinctKeysRunTheMethodFiftyTimes();
		assertThat(this.cluster.keyCountsByNode("cluster-http:*").values().stream().filter((count) -> count > 0))
			.hasSizeGreaterThan(1);
	}

}
