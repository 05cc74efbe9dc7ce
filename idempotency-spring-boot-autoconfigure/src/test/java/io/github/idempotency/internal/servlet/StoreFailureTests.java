package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import io.github.idempotency.testapp.RequestCounts;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis killed, frozen and restarted under running applications (R16): fail closed with
 * 503 by default, fail open when configured, recover without help.
 */
class StoreFailureTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	private static RedisServerProcess redis;

	private static RunningApp failClosed;

	private static RunningApp failOpen;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		failClosed = RunningApp.start(redis.storeSettings("fail-closed"));
		failOpen = RunningApp.start(redis.storeSettings("fail-open"));
	}

	@AfterAll
	static void stop() {
		failClosed.close();
		failOpen.close();
		redis.close();
	}

	@AfterEach
	void redisIsBackAndTheAppsRecoverByThemselves() {
		redis.recover();
		for (RunningApp app : new RunningApp[] { failClosed, failOpen }) {
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> app.http().post("/orders", UUID.randomUUID().toString(), ORDER).statusCode() == 201);
		}
	}

	@Test
	void redisDownFailsClosedWith503AndTheMethodDoesNotRun() {
		failClosed.executions().reset();
		redis.kill();
		HttpResponse<byte[]> response = failClosed.http().post("/orders", UUID.randomUUID().toString(), ORDER);
		assertStoreUnavailable(response);
		assertThat(failClosed.executions().count("orders")).isZero();
		assertThat(counter(failClosed, "store_error")).isPositive();
	}

	@Test
	void redisHangingFailsClosedWithinTheStoreTimeout() {
		failClosed.executions().reset();
		redis.pause();
		HttpResponse<byte[]> response = failClosed.http().post("/orders", UUID.randomUUID().toString(), ORDER);
		assertStoreUnavailable(response);
		assertThat(failClosed.executions().count("orders")).isZero();
	}

	@Test
	void aClaimThatRedisExecutesLateIsReleasedSoTheRetryRuns() {
		failClosed.executions().reset();
		String key = UUID.randomUUID().toString();
		redis.pause();
		assertStoreUnavailable(failClosed.http().post("/orders", key, ORDER));
		redis.resume();
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> failClosed.http().post("/orders", key, ORDER).statusCode() == 201);
		assertThat(failClosed.executions().count("orders")).isEqualTo(1);
	}

	@Test
	void failOpenRunsTheMethodWithoutIdempotencyAndCountsIt() {
		failOpen.executions().reset();
		double before = counter(failOpen, "fail_open");
		redis.kill();
		String key = UUID.randomUUID().toString();
		assertThat(failOpen.http().post("/orders", key, ORDER).statusCode()).isEqualTo(201);
		HttpResponse<byte[]> again = failOpen.http().post("/orders", key, ORDER);
		assertThat(again.statusCode()).isEqualTo(201);
		assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(failOpen.executions().count("orders")).isEqualTo(2);
		assertThat(counter(failOpen, "fail_open") - before).isEqualTo(2);
	}

	@Test
	void afterARestartKeysWorkAgain() {
		redis.kill();
		assertStoreUnavailable(failClosed.http().post("/orders", UUID.randomUUID().toString(), ORDER));
		redis.restart();
		String key = UUID.randomUUID().toString();
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> failClosed.http().post("/orders", key, ORDER).statusCode() == 201);
		HttpResponse<byte[]> replay = failClosed.http().post("/orders", key, ORDER);
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
	}

	private static void assertStoreUnavailable(HttpResponse<byte[]> response) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(body(response)).contains("https://idempotency.github.io/problems/store-unavailable");
	}

	private static double counter(RunningApp app, String outcome) {
		return RequestCounts.of(app.bean(MeterRegistry.class), outcome);
	}

}
