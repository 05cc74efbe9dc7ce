package io.github.idempotency.internal.redis;

import java.time.Duration;
import java.util.Map;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreContractTests;
import io.github.idempotency.ResponseEncryptionKeys;
import io.github.idempotency.internal.record.RecordCodec;
import io.github.idempotency.internal.record.ResponseCipher;
import io.github.idempotency.testsupport.RedisCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The store contract on a real 3-master Redis Cluster the suite starts, and proof that
 * records spread over the nodes.
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
		assertRecordsLandOnEveryNode(store, "spread:");
	}

	private static void assertRecordsLandOnEveryNode(IdempotencyStore store, String prefix) {
		for (int i = 0; i < 60; i++) {
			assertThat(store.claim(prefix + Integer.toHexString(i * 7919), "owner", "fp", LONG))
				.isInstanceOf(ClaimResult.Claimed.class);
		}
		Map<String, Integer> counts = cluster.keyCountsByNode(prefix + "*");
		assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(60);
		assertThat(counts.values()).allSatisfy((count) -> assertThat(count).isPositive());
	}

	/** The contract on the same cluster, claiming with {@code SET … NX GET PX}. */
	@Nested
	class ClaimingWithSetNxGet extends IdempotencyStoreContractTests {

		private final RedisIdempotencyStore setStore = RedisIdempotencyStoreTests.setNxGetStore(connectionFactory);

		@Override
		protected IdempotencyStore store() {
			return this.setStore;
		}

		@Override
		protected String newKey() {
			return RedisClusterStoreTests.this.newKey();
		}

		@Test
		void recordsLandOnEveryNode() {
			assertRecordsLandOnEveryNode(this.setStore, "spread-set:");
		}

	}

	/** The contract on the same cluster with responses encrypted at rest (R39). */
	@Nested
	class Encrypted extends IdempotencyStoreContractTests {

		private final RedisIdempotencyStore encrypting = new RedisIdempotencyStore(connectionFactory,
				Duration.ofSeconds(2), 0, Duration.ZERO,
				new RecordCodec(RecordCodec.DEFAULT_COMPRESSION_THRESHOLD, new ResponseCipher(ResponseEncryptionKeys
					.of("cluster-1", Map.of("cluster-1", "0123456789abcdef0123456789abcdef".getBytes())))));

		@Override
		protected IdempotencyStore store() {
			return this.encrypting;
		}

		@Override
		protected String newKey() {
			return RedisClusterStoreTests.this.newKey();
		}

		@Test
		void theRecordOnItsNodeHoldsNothingOfTheResponse() {
			String key = newKey();
			this.encrypting.claim(key, "owner", "fp", LONG);
			this.encrypting.complete(key, "owner", response(201, "{\"secret\":\"pay_visible\"}"), LONG);
			byte[] raw = connectionFactory.getClusterConnection().stringCommands().get(key.getBytes());
			assertThat(raw).isNotNull();
			assertThat(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("pay_visible");
			assertThat(((ClaimResult.Completed) this.encrypting.claim(key, "other", "fp", LONG)).response().body())
				.isEqualTo("{\"secret\":\"pay_visible\"}".getBytes());
		}

	}

	/** The contract on a Jedis connection factory for the same cluster. */
	@Nested
	class OnJedis extends JedisStoreContract {

		@Override
		JedisFixture connect() {
			return JedisFixture.cluster(cluster.nodeAddresses());
		}

		@Override
		protected String newKey() {
			return "idempotency-cluster-jedis-test:" + java.util.UUID.randomUUID();
		}

		@Test
		void recordsLandOnEveryNode() {
			assertRecordsLandOnEveryNode(jedis().store(), "jedis-spread:");
		}

		@Test
		void waitingForReplicasIsRefusedAtCreationBecauseJedisCannotRouteWaitToTheWritingConnection() {
			assertThatIllegalStateException()
				.isThrownBy(() -> new RedisIdempotencyStore(jedis().connectionFactory(), Duration.ofSeconds(2), 1,
						Duration.ofMillis(500)))
				.withMessageContaining(
						"idempotency.replication.min-replicas=1 is not supported with Jedis on a Redis Cluster");
		}

	}

}
