package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import io.github.idempotency.internal.claim.StorageKeys;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testsupport.RedisReplicaPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code idempotency.replication.min-replicas} against a real primary with one replica: a
 * claim the replica has not acknowledged is not acted on.
 */
class ReplicationTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	private static RedisReplicaPair redis;

	private static RunningApp waiting;

	private static RunningApp notWaiting;

	@BeforeAll
	static void start() {
		redis = RedisReplicaPair.start();
		String host = "spring.data.redis.host=" + redis.primary().host();
		String port = "spring.data.redis.port=" + redis.primary().port();
		waiting = RunningApp.start("idempotency.store=redis", host, port, "idempotency.key-prefix=replicated",
				"idempotency.replication.min-replicas=1", "idempotency.replication.timeout=300ms");
		notWaiting = RunningApp.start("idempotency.store=redis", host, port, "idempotency.key-prefix=unreplicated");
	}

	@AfterAll
	static void stop() {
		waiting.close();
		notWaiting.close();
		redis.close();
	}

	@AfterEach
	void replicaRuns() {
		redis.replica().resume();
	}

	@Test
	void theReplicaHoldsTheRecordBeforeTheClientSeesTheResponse() {
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> response = waiting.http().post("/orders", key, ORDER);
		assertThat(response.statusCode()).isEqualTo(201);
		String storageKey = new StorageKeys("replicated").storageKey("", key);
		String replicated = redis.replica().cli("get", storageKey);
		assertThat(replicated).endsWith(body(response)).isEqualTo(redis.primary().cli("get", storageKey));
	}

	@Test
	void aClaimNoReplicaAcknowledgedIsReleasedAndRefusedWith503() {
		waiting.executions().reset();
		String key = UUID.randomUUID().toString();
		redis.replica().pause();
		HttpResponse<byte[]> refused = waiting.http().post("/orders", key, ORDER);
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(body(refused)).contains("store-unavailable");
		assertThat(waiting.executions().count("orders")).isZero();
		assertThat(redis.primary().cli("exists", new StorageKeys("replicated").storageKey("", key))).isEqualTo("0");

		redis.replica().resume();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> waiting.http().post("/orders", key, ORDER).statusCode() == 201);
		assertThat(waiting.executions().count("orders")).isEqualTo(1);
	}

	@Test
	void withoutTheOptionAPausedReplicaDoesNotDelayRequests() {
		redis.replica().pause();
		assertThat(notWaiting.http().post("/orders", UUID.randomUUID().toString(), ORDER).statusCode()).isEqualTo(201);
	}

}
