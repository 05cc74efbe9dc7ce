package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.RunningProcessApp;
import io.github.idempotency.testsupport.RedisServerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An instance is killed (SIGKILL) while it holds a key (R14): the other instance answers
 * 409 until the lock timeout passes, then runs the retry once.
 */
class CrashedInstanceTests {

	private static RedisServerProcess redis;

	private static RunningProcessApp doomed;

	private static RunningApp survivor;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		String[] settings = { "--idempotency.store=redis", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port(), "--idempotency.key-prefix=crash" };
		doomed = RunningProcessApp.start(RedisServerProcess.freePort(), List.of("test.hang=true"), settings);
		survivor = RunningApp.start(Arrays.stream(settings).map((s) -> s.substring(2)).toArray(String[]::new));
	}

	@AfterAll
	static void stop() {
		doomed.close();
		survivor.close();
		redis.close();
	}

	@Test
	void survivorAnswers409UntilTheLockTimeoutThenRunsTheRetryOnce() {
		String key = UUID.randomUUID().toString();
		CompletableFuture<HttpResponse<byte[]>> lost = CompletableFuture
			.supplyAsync(() -> doomed.http().post("/hangs", key, "{}"));
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> !redis.cli("--scan", "--pattern", "crash:*").isEmpty());
		doomed.kill();

		HttpResponse<byte[]> first = survivor.http().post("/hangs", key, "{}");
		assertThat(first.statusCode()).isEqualTo(409);
		assertThat(body(first)).contains("request-in-progress");
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> survivor.http().post("/hangs", key, "{}").statusCode() == 201);
		assertThat(survivor.executions().count("hangs")).isEqualTo(1);
		HttpResponse<byte[]> replay = survivor.http().post("/hangs", key, "{}");
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		await().atMost(Duration.ofSeconds(30)).until(lost::isDone);
		assertThat(lost).isCompletedExceptionally();
	}

}
