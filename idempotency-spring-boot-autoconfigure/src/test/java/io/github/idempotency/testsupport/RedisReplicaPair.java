package io.github.idempotency.testsupport;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * A primary {@code redis-server} and one replica ({@code --replicaof}), both owned by the
 * test, ready once the replica's link to the primary is up.
 */
public final class RedisReplicaPair implements AutoCloseable {

	private final RedisServerProcess primary;

	private final RedisServerProcess replica;

	private RedisReplicaPair(RedisServerProcess primary, RedisServerProcess replica) {
		this.primary = primary;
		this.replica = replica;
	}

	/**
	 * Starts the pair and waits for replication to be established.
	 * @return the running pair
	 */
	public static RedisReplicaPair start() {
		RedisServerProcess primary = RedisServerProcess.start();
		RedisServerProcess replica = RedisServerProcess.start("--replicaof", primary.host(),
				Integer.toString(primary.port()));
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> replica.cli("info", "replication").contains("master_link_status:up")
					&& primary.cli("info", "replication").contains("connected_slaves:1"));
		return new RedisReplicaPair(primary, replica);
	}

	public RedisServerProcess primary() {
		return this.primary;
	}

	public RedisServerProcess replica() {
		return this.replica;
	}

	@Override
	public void close() {
		this.replica.close();
		this.primary.close();
	}

}
