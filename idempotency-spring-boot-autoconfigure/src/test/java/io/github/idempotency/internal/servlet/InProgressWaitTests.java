package io.github.idempotency.internal.servlet;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.idempotency.testapp.Gate;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.github.idempotency.testsupport.SharedStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Duplicates that wait for the request in flight with their key
 * ({@code idempotency.wait-for-in-progress}, R38) through real HTTP on Spring MVC with
 * twenty Tomcat threads and a real Redis: they hold no thread while they wait, they get
 * the first response once it is stored, one of them runs when the first gives its key up,
 * a wait shorter than the call ends in 409, waiting works across instances, and a store
 * that fails during a wait refuses the duplicate without running anything twice.
 */
class InProgressWaitTests {

	private static final String WAIT = "idempotency.wait-for-in-progress=10s";

	private static final String THREADS = "server.tomcat.threads.max=20";

	private static RedisServerProcess redis;

	private static RunningApp app;

	private final ExecutorService clients = Executors.newCachedThreadPool();

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		app = RunningApp.start(settings(redis, "fail-closed", WAIT, THREADS));
	}

	@AfterAll
	static void stop() {
		app.close();
		redis.close();
	}

	@AfterEach
	void stopClients() throws InterruptedException {
		app.bean(Gate.class).open();
		this.clients.shutdownNow();
		this.clients.awaitTermination(30, TimeUnit.SECONDS);
	}

	private static String[] settings(RedisServerProcess store, String storeFailure, String... more) {
		List<String> settings = new ArrayList<>(List.of(store.storeSettings(storeFailure)));
		settings.addAll(List.of(more));
		return settings.toArray(String[]::new);
	}

	@Test
	void aHundredDuplicatesOfARunningRequestGetItsResponseWhileTwentyThreadsServeOtherRequests() throws Exception {
		Gate gate = app.bean(Gate.class);
		gate.close();
		String key = UUID.randomUUID().toString();
		int before = app.executions().count("slow");
		Future<HttpResponse<byte[]>> first = post(app, "/slow", key);
		gate.awaitEntered();
		List<Future<HttpResponse<byte[]>>> duplicates = new ArrayList<>();
		for (int i = 0; i < 99; i++) {
			duplicates.add(post(app, "/slow", key));
		}
		await("99 duplicates wait").atMost(Duration.ofSeconds(30)).until(() -> waitingNow(app, "slow") == 99);

		HttpResponse<byte[]> unrelated = app.http()
			.send(HttpRequest.newBuilder(app.http().uri("/executions/slow")).timeout(Duration.ofSeconds(1)).build());

		assertThat(unrelated.statusCode()).as("a GET while 99 duplicates wait on 20 threads").isEqualTo(200);
		assertThat(first).isNotDone();
		assertThat(waitingNow(app, "slow")).isEqualTo(99);
		gate.open();
		HttpResponse<byte[]> answer = first.get(30, TimeUnit.SECONDS);
		assertThat(answer.statusCode()).isEqualTo(201);
		for (Future<HttpResponse<byte[]>> duplicate : duplicates) {
			HttpResponse<byte[]> replay = duplicate.get(30, TimeUnit.SECONDS);
			assertThat(replay.statusCode()).as(body(replay)).isEqualTo(201);
			assertThat(replay.body()).isEqualTo(answer.body());
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		}
		assertThat(app.executions().count("slow")).isEqualTo(before + 1);
		assertThat(waits(app, "slow", "replayed")).isGreaterThanOrEqualTo(99);
		assertThat(waitingNow(app, "slow")).isZero();
	}

	@Test
	void whenTheFirstGivesItsKeyUpOneWaiterRunsAndTheOthersGetItsResponse() throws Exception {
		Gate gate = app.bean(Gate.class);
		gate.close();
		String key = UUID.randomUUID().toString();
		int before = app.executions().count("fails-slowly-once");
		Future<HttpResponse<byte[]>> first = post(app, "/fails-slowly-once", key);
		gate.awaitEntered();
		List<Future<HttpResponse<byte[]>>> duplicates = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			duplicates.add(post(app, "/fails-slowly-once", key));
		}
		await("10 duplicates wait").atMost(Duration.ofSeconds(30))
			.until(() -> waitingNow(app, "failsSlowlyOnce") == 10);
		gate.open();

		assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(500);
		int ran = 0;
		for (Future<HttpResponse<byte[]>> duplicate : duplicates) {
			HttpResponse<byte[]> response = duplicate.get(30, TimeUnit.SECONDS);
			assertThat(response.statusCode()).as(body(response)).isEqualTo(201);
			assertThat(body(response)).isEqualTo("attempt " + (before + 2));
			ran += response.headers().firstValue("Idempotent-Replayed").isPresent() ? 0 : 1;
		}
		assertThat(ran).as("duplicates that ran").isEqualTo(1);
		assertThat(app.executions().count("fails-slowly-once")).isEqualTo(before + 2);
	}

	@Test
	void aWaitShorterThanTheCallEndsIn409AfterTheWaitAndZeroAnswersAtOnce() throws Exception {
		Gate gate = app.bean(Gate.class);
		gate.close();
		String key = UUID.randomUUID().toString();
		Future<HttpResponse<byte[]>> first = post(app, "/slow-short-wait", key);
		gate.awaitEntered();
		long started = System.nanoTime();
		HttpResponse<byte[]> refused = app.http().post("/slow-short-wait", key, "{}");
		Duration waited = Duration.ofNanos(System.nanoTime() - started);

		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(body(refused)).contains("/request-in-progress");
		assertThat(waited).as("the duplicate waited its second").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(waits(app, "slowShortWait", "timed_out")).isEqualTo(1);
		gate.open();
		assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);

		gate.close();
		String other = UUID.randomUUID().toString();
		Future<HttpResponse<byte[]>> held = post(app, "/slow-no-wait", other);
		gate.awaitEntered();
		HttpResponse<byte[]> atOnce = app.http().post("/slow-no-wait", other, "{}");
		assertThat(atOnce.statusCode()).isEqualTo(409);
		assertThat(waits(app, "slowNoWait", "timed_out")).isZero();
		gate.open();
		assertThat(held.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
	}

	@ParameterizedTest
	@EnumSource(value = SharedStore.Kind.class, names = { "REDIS", "POSTGRESQL" })
	void duplicatesOnAnotherInstanceWaitForTheFirstAndGetItsResponse(SharedStore.Kind store) throws Exception {
		try (SharedStore shared = SharedStore.start(store, WAIT);
				RunningApp first = RunningApp.start(shared.properties());
				RunningApp second = RunningApp.start(shared.properties())) {
			Gate gate = first.bean(Gate.class);
			gate.close();
			String key = UUID.randomUUID().toString();
			Future<HttpResponse<byte[]>> running = post(first, "/slow", key);
			gate.awaitEntered();
			List<Future<HttpResponse<byte[]>>> duplicates = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				duplicates.add(post(second, "/slow", key));
			}
			await("10 duplicates wait on the other instance").atMost(Duration.ofSeconds(30))
				.until(() -> waitingNow(second, "slow") == 10);
			gate.open();

			HttpResponse<byte[]> answer = running.get(30, TimeUnit.SECONDS);
			for (Future<HttpResponse<byte[]>> duplicate : duplicates) {
				HttpResponse<byte[]> replay = duplicate.get(30, TimeUnit.SECONDS);
				assertThat(replay.statusCode()).as(body(replay)).isEqualTo(201);
				assertThat(replay.body()).isEqualTo(answer.body());
			}
			assertThat(first.executions().count("slow") + second.executions().count("slow")).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "fail-closed", "fail-open" })
	void aStoreThatFailsDuringAWaitRefusesTheDuplicateAndNothingRunsTwice(String storeFailure) throws Exception {
		try (RedisServerProcess own = RedisServerProcess.start();
				RunningApp instance = RunningApp.start(settings(own, storeFailure, WAIT, THREADS))) {
			Gate gate = instance.bean(Gate.class);
			gate.close();
			String key = UUID.randomUUID().toString();
			Future<HttpResponse<byte[]>> first = post(instance, "/slow", key);
			gate.awaitEntered();
			Future<HttpResponse<byte[]>> duplicate = post(instance, "/slow", key);
			await("the duplicate waits").atMost(Duration.ofSeconds(30)).until(() -> waitingNow(instance, "slow") == 1);
			own.pause();
			HttpResponse<byte[]> refused;
			try {
				refused = duplicate.get(30, TimeUnit.SECONDS);
			}
			finally {
				own.resume();
			}
			gate.open();

			assertThat(refused.statusCode()).as(body(refused)).isEqualTo(503);
			assertThat(body(refused)).contains("/store-unavailable");
			assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
			assertThat(instance.executions().count("slow")).isEqualTo(1);
			assertThat(waits(instance, "slow", "failed")).isEqualTo(1);
		}
	}

	private Future<HttpResponse<byte[]>> post(RunningApp instance, String path, String key) {
		return this.clients.submit(() -> instance.http().post(path, key, "{}"));
	}

	private static double waitingNow(RunningApp instance, String method) {
		Gauge gauge = instance.bean(MeterRegistry.class)
			.find("idempotency.waiting")
			.tag("endpoint", "TestController#" + method)
			.gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	private static long waits(RunningApp instance, String method, String result) {
		Timer timer = instance.bean(MeterRegistry.class)
			.find("idempotency.waits")
			.tag("endpoint", "TestController#" + method)
			.tag("result", result)
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

}
