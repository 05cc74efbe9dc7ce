package io.github.idempotency.internal.servlet;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;
import io.github.idempotency.testapp.Gate;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.RunningProcessApp;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.github.idempotency.testsupport.SharedStore;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Renewals through the front door (R36), with {@code lock-timeout: 2s}: a call that takes
 * far longer than its lock timeout runs once while its duplicates on another instance get
 * 409 the whole time, on Redis, PostgreSQL and MariaDB; and the key of an instance killed
 * (SIGKILL) mid-call is free again about one lock timeout later, on the same three
 * stores.
 */
class ClaimRenewalOverHttpTests {

	private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

	@ParameterizedTest
	@EnumSource(SharedStore.Kind.class)
	void aCallFourLockTimeoutsLongRunsOnceWhileItsDuplicatesOnAnotherInstanceGet409(SharedStore.Kind store)
			throws Exception {
		try (SharedStore shared = shared(store);
				RunningApp first = RunningApp.start(shared.properties());
				RunningApp second = RunningApp.start(shared.properties())) {
			Gate gate = first.bean(Gate.class);
			gate.close();
			String key = UUID.randomUUID().toString();
			CompletableFuture<HttpResponse<byte[]>> running = CompletableFuture
				.supplyAsync(() -> first.http().post("/slow", key, "{}"));
			gate.awaitEntered();

			await("every duplicate gets 409 while the first call runs for four lock timeouts")
				.during(LOCK_TIMEOUT.multipliedBy(4))
				.atMost(LOCK_TIMEOUT.multipliedBy(6))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> second.http().post("/slow", key, "{}").statusCode() == 409);
			gate.open();

			HttpResponse<byte[]> answer = running.get();
			HttpResponse<byte[]> replay = second.http().post("/slow", key, "{}");
			assertThat(answer.statusCode()).as(body(answer)).isEqualTo(201);
			assertThat(replay.statusCode()).isEqualTo(201);
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			assertThat(first.executions().count("slow") + second.executions().count("slow")).isEqualTo(1);
			assertThat(first.bean(MeterRegistry.class)
				.counter("idempotency.renewals", "result", "renewed", "endpoint", "TestController#slow")
				.count()).isGreaterThanOrEqualTo(8);
		}
	}

	@ParameterizedTest
	@EnumSource(SharedStore.Kind.class)
	void theKeyOfAnInstanceKilledMidCallIsFreeAboutOneLockTimeoutLater(SharedStore.Kind store) throws Exception {
		try (SharedStore shared = shared(store);
				RunningProcessApp doomed = RunningProcessApp.start(RedisServerProcess.freePort(), List.of(),
						shared.arguments());
				RunningApp survivor = RunningApp.start(shared.properties())) {
			survivor.bean(Gate.class).open();
			String key = UUID.randomUUID().toString();
			CompletableFuture<HttpResponse<byte[]>> lost = CompletableFuture
				.supplyAsync(() -> doomed.http().post("/slow", key, "{}"));
			await("the doomed instance claimed the key").atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> state(survivor, key).equals("in-progress"));
			await("the claim is renewed past its first lock timeout").during(LOCK_TIMEOUT.multipliedBy(2))
				.atMost(LOCK_TIMEOUT.multipliedBy(3))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> survivor.http().post("/slow", key, "{}").statusCode() == 409);

			doomed.kill();
			long killed = System.nanoTime();
			await("the key is free about one lock timeout after the kill").atMost(LOCK_TIMEOUT.multipliedBy(2))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> survivor.http().post("/slow", key, "{}").statusCode() == 201);
			assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("not before the last renewal ran out")
				.isGreaterThan(Duration.ofMillis(200));
			assertThat(survivor.executions().count("slow")).isEqualTo(1);
			await().atMost(Duration.ofSeconds(30)).until(lost::isDone);
			assertThat(lost).isCompletedExceptionally();
		}
	}

	/** A store both instances use, with a lock timeout of two seconds. */
	private static SharedStore shared(SharedStore.Kind kind) {
		return SharedStore.start(kind, "idempotency.lock-timeout=" + LOCK_TIMEOUT.toMillis() + "ms",
				"idempotency.key-prefix=renewal", "management.endpoints.web.exposure.include=idempotency");
	}

	private static String state(RunningApp app, String key) {
		HttpResponse<byte[]> report = app.http()
			.send(HttpRequest.newBuilder(app.http().uri("/actuator/idempotency?key=" + key)).GET().build());
		return JsonPath.read(body(report), "$.state");
	}

}
