package io.github.idempotency.redis;

import java.time.Duration;
import java.util.Map;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreContractTests;
import io.github.idempotency.testsupport.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store contract on a real 3-master Redis Cluster the suite starts, and proof that records
 * spread over the nodes.
 */
class RedisClusterStoreTests extends IdempotencyStoreContractTests {

	private static RedisCluster cluster;

	private static LettuceConnectionFactory connectionFactory;

	private static RedisIdempotencyStore store;

	@BeforeAll
	static void startCluster() {
		cluster = RedisCluster.start(3);
		connectionFactory = new LettuceConnectionFactory(new RedisClusterConfiguration(cluster.nodeAddresses()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		store = new RedisIdempotencyStore(connectionFactory, Duration.ofSeconds(2));
	}

	@AfterAll
	static void stopCluster() {
		connectionFactory.destroy();
		cluster.close();
	}

	@Override
	protected IdempotencyStore store() {
		return store;
	}

	@Override
	protected String newKey() {
		return "idempotency-cluster-test:" + java.util.UUID.randomUUID();
	}

	@Test
	void recordsLandOnEveryNode() {
		for (int i = 0; i < 60; i++) {
			assertThat(store.claim("spread:" + Integer.toHexString(i * 7919), "owner", "fp", LONG))
				.isInstanceOf(ClaimResult.Claimed.class);
		}
		Map<String, Integer> counts = cluster.keyCountsByNode("spread:*");
		assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
		assertThat(counts.values()).allSatisfy((count) -> assertThat(count).isPositive());
	}

}
