package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The store timeout with Jedis, whose calls cannot be abandoned: a frozen Redis
 * ({@code SIGSTOP}) is answered 503 while Jedis itself would wait for ten minutes, and a
 * claim that Redis executes once it runs again is released, so the client's retry runs.
 */
class JedisStoreFailureTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	private static RedisServerProcess redis;

	private static RunningApp app;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		app = RunningApp.start("idempotency.store=redis", "spring.data.redis.client-type=jedis",
				"spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"spring.data.redis.timeout=10m", "idempotency.store-timeout=500ms");
	}

	@AfterAll
	static void stop() {
		app.close();
		redis.close();
	}

	@AfterEach
	void redisRunsAgain() {
		redis.resume();
	}

	@Test
	void theApplicationUsesJedis() {
		assertThat(app.bean(RedisConnectionFactory.class)).isInstanceOf(JedisConnectionFactory.class);
	}

	@Test
	void redisHangingFailsClosedWithinTheStoreTimeout() {
		app.executions().reset();
		redis.pause();
		HttpResponse<byte[]> response = app.http().post("/orders", UUID.randomUUID().toString(), ORDER);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(body(response)).contains("https://idempotency.github.io/problems/store-unavailable");
		assertThat(app.executions().count("orders")).isZero();
	}

	@Test
	void aClaimThatRedisExecutesLateIsReleasedSoTheRetryRuns() {
		app.executions().reset();
		String key = UUID.randomUUID().toString();
		redis.pause();
		assertThat(app.http().post("/orders", key, ORDER).statusCode()).isEqualTo(503);
		redis.resume();
		await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> app.http().post("/orders", key, ORDER).statusCode() == 201);
		assertThat(app.executions().count("orders")).isEqualTo(1);
	}

}
