package io.github.idempotency.internal.reactive;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.idempotency.internal.reactive.app.ReactiveTestApplication;
import io.github.idempotency.internal.reactive.app.ReactiveTestApplication.Runs;
import io.github.idempotency.testapp.ObservedTestApplication;
import io.github.idempotency.testapp.ObservedTestApplication.RecordedObservations;
import io.github.idempotency.testapp.RequestCounts;
import io.github.idempotency.testapp.TestHttp;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The WebFlux door through the front door: a real Netty server, real HTTP, a
 * {@code redis-server} the test owns, and BlockHound in the JVM, so any blocking call on
 * an event loop or a parallel thread fails the request it happens in. Allowed are only
 * blocking calls that are not the starter's: console logging, Hibernate Validator loading
 * its message bundle from a jar the first time a constraint fails, and Lettuce's own lock
 * around its command queue.
 */
class WebFluxDoorServerTests {

	/**
	 * Every blocking call BlockHound found, with where it happened; each also fails its
	 * request.
	 */
	private static final List<String> blockingCalls = new CopyOnWriteArrayList<>();

	static {
		BlockHound.builder().loadIntegrations().blockingMethodCallback((method) -> {
			StringWriter trace = new StringWriter();
			new Throwable().printStackTrace(new PrintWriter(trace));
			blockingCalls.add(method + " on " + Thread.currentThread().getName() + "\n" + trace);
			throw new BlockingOperationError(method);
		})
			.allowBlockingCallsInside("ch.qos.logback.core.UnsynchronizedAppenderBase", "doAppend")
			.allowBlockingCallsInside("org.hibernate.validator.resourceloading.PlatformResourceBundleLocator",
					"loadBundle")
			// Lettuce guards its command queue with a lock that its reconnect holds
			// briefly; a
			// BlockingOperationError thrown inside it would leave the lock broken for
			// good
			.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "incrementWriters")
			.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "decrementWriters")
			.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", "doExclusive")
			.install();
	}

	private static final String PAYMENT = "{\"account\":\"acme\",\"amount\":1250}";

	private static RedisServerProcess redis;

	private static ConfigurableApplicationContext app;

	private static TestHttp http;

	private static Runs runs;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		app = startApp();
		http = new TestHttp(port(app));
		runs = app.getBean(Runs.class);
	}

	private static ConfigurableApplicationContext startApp() {
		List<String> settings = new ArrayList<>(List.of(redis.storeSettings("fail-closed")));
		settings.add("idempotency.max-body-size=4KB");
		settings.add("idempotency.encryption.current-key=reactive-1");
		settings.add("idempotency.encryption.keys.reactive-1=" + Base64.getEncoder().encodeToString(new byte[32]));
		settings.add("management.endpoint.health.show-components=always");
		settings.add("management.endpoints.web.exposure.include=health,idempotency");
		// Spring Boot's own Redis health check waits for Redis without a bound while it
		// is down
		settings.add("management.health.redis.enabled=false");
		return ReactiveTestApplication.start(settings.toArray(String[]::new));
	}

	@AfterEach
	void nothingBlocked() {
		assertThat(blockingCalls).as("blocking calls on non-blocking threads").isEmpty();
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
		if (redis != null) {
			redis.close();
		}
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static String key() {
		return UUID.randomUUID().toString();
	}

	@Test
	void blockHoundFailsABlockingCallOnANonBlockingThread() {
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> Mono.fromCallable(() -> {
			// the blocking call BlockHound must catch, not a wait for anything
			Thread.sleep(1);
			return 1;
		}).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(5)))
			.satisfies((ex) -> assertThat(ex).hasRootCauseInstanceOf(BlockingOperationError.class));
		assertThat(blockingCalls).singleElement().asString().startsWith("java.lang.Thread.sleep");
		blockingCalls.clear();
	}

	@Test
	void theServerIsNetty() {
		assertThat(app.containsBean("nettyReactiveWebServerFactory")).isTrue();
	}

	@Test
	void retryGetsTheFirstResponseByteForByteAndTheMethodRunsOnce() {
		String key = key();
		int before = runs.of("payments");
		HttpResponse<byte[]> first = http.post("/payments", key, PAYMENT);
		HttpResponse<byte[]> replay = http.post("/payments", key, PAYMENT);
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
		assertThat(replay.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
		assertThat(runs.of("payments")).isEqualTo(before + 1);
	}

	@Test
	void storedResponsesAreEncryptedAtRest() {
		String key = key();
		HttpResponse<byte[]> first = http.post("/payments", key, PAYMENT);
		String location = first.headers().firstValue("Location").orElseThrow();
		List<String> records = redis.cli("--scan", "--pattern", "idempotency:*")
			.lines()
			.map((storageKey) -> redis.cli("GET", storageKey))
			.toList();
		assertThat(records).isNotEmpty().noneMatch((record) -> record.contains(location) || record.contains("acme"));
		assertThat(http.post("/payments", key, PAYMENT).body()).isEqualTo(first.body());
	}

	@Test
	void aHandlerRunsOnTheEventLoopOfItsConnectionOnceRedisAnswered() {
		String key = key();
		HttpResponse<byte[]> first = http.post("/event-loop", key, PAYMENT);
		HttpResponse<byte[]> replay = http.post("/event-loop", key, PAYMENT);
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(first.headers().firstValue("X-Own-Event-Loop")).as(TestHttp.body(first)).contains("true");
		assertThat(TestHttp.body(first)).contains("-http-");
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
	}

	@Test
	void retryWithTheSameJsonWrittenDifferentlyIsAReplay() {
		String key = key();
		int before = runs.of("payments");
		http.post("/payments", key, PAYMENT);
		HttpResponse<byte[]> replay = http.post("/payments", key, "{ \"amount\": 1250, \"account\": \"acme\" }");
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
		assertThat(runs.of("payments")).isEqualTo(before + 1);
	}

	@Test
	void usedKeyWithAnotherBodyIs422() {
		String key = key();
		http.post("/payments", key, PAYMENT);
		HttpResponse<byte[]> reused = http.post("/payments", key, "{\"account\":\"acme\",\"amount\":9999}");
		assertThat(reused.statusCode()).isEqualTo(422);
		assertThat(reused.headers().firstValue("Content-Type")).contains("application/problem+json");
		assertThat(TestHttp.body(reused)).contains("/key-reused").contains("\"instance\":\"/payments\"");
	}

	@Test
	void missingOrMalformedKeyIs400AndNothingRuns() {
		int before = runs.of("payments");
		HttpResponse<byte[]> missing = http.post("/payments", null, PAYMENT);
		HttpResponse<byte[]> malformed = http.post("/payments", "x".repeat(300), PAYMENT);
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(TestHttp.body(missing)).contains("/missing-key");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertThat(TestHttp.body(malformed)).contains("/invalid-key");
		assertThat(runs.of("payments")).isEqualTo(before);
	}

	@Test
	void bodyOverMaxBodySizeIs413AndClaimsNothing() {
		String key = key();
		String large = "{\"account\":\"" + "a".repeat(5000) + "\",\"amount\":1}";
		HttpResponse<byte[]> tooLarge = http.post("/payments", key, large);
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(TestHttp.body(tooLarge)).contains("/body-too-large");
		assertThat(http.post("/payments", key, PAYMENT).statusCode()).isEqualTo(201);
	}

	@Test
	void requestWhileTheFirstIsInFlightIs409AndTheRetryAfterwardsIsAReplay() throws Exception {
		String key = key();
		String gate = key();
		int started = runs.of("held-started");
		CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture
			.supplyAsync(() -> http.post("/held", PAYMENT, Map.of("Idempotency-Key", key, "X-Gate", gate)));
		await().atMost(Duration.ofSeconds(10)).until(() -> runs.of("held-started") > started);
		HttpResponse<byte[]> conflict = http.post("/held", PAYMENT, Map.of("Idempotency-Key", key, "X-Gate", gate));
		assertThat(conflict.statusCode()).isEqualTo(409);
		assertThat(conflict.headers().firstValue("Retry-After")).contains("1");
		runs.gate(gate).complete(null);
		HttpResponse<byte[]> answered = first.get();
		assertThat(answered.statusCode()).isEqualTo(200);
		HttpResponse<byte[]> replay = http.post("/held", PAYMENT, Map.of("Idempotency-Key", key, "X-Gate", gate));
		assertThat(replay.body()).isEqualTo(answered.body());
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
	}

	@Test
	void aHundredDuplicatesWaitForTheFirstWithoutBlockingAndGetItsResponse() throws Exception {
		String key = key();
		String gate = key();
		Map<String, String> headers = Map.of("Idempotency-Key", key, "X-Gate", gate);
		int before = runs.of("held-waiting");
		int started = runs.of("held-waiting-started");
		ExecutorService clients = Executors.newCachedThreadPool();
		try {
			Future<HttpResponse<byte[]>> first = clients.submit(() -> http.post("/held-waiting", PAYMENT, headers));
			await().atMost(Duration.ofSeconds(10)).until(() -> runs.of("held-waiting-started") > started);
			List<Future<HttpResponse<byte[]>>> duplicates = new ArrayList<>();
			for (int i = 0; i < 99; i++) {
				duplicates.add(clients.submit(() -> http.post("/held-waiting", PAYMENT, headers)));
			}
			await("99 duplicates wait").atMost(Duration.ofSeconds(30))
				.until(() -> waitingNow("Payments#heldWaiting") == 99);

			HttpResponse<byte[]> unrelated = http
				.send(HttpRequest.newBuilder(http.uri("/runs/held-waiting")).timeout(Duration.ofSeconds(1)).build());

			assertThat(unrelated.statusCode()).isEqualTo(200);
			assertThat(first).isNotDone();
			runs.gate(gate).complete(null);
			HttpResponse<byte[]> answer = first.get(30, TimeUnit.SECONDS);
			assertThat(answer.statusCode()).isEqualTo(200);
			for (Future<HttpResponse<byte[]>> duplicate : duplicates) {
				HttpResponse<byte[]> replay = duplicate.get(30, TimeUnit.SECONDS);
				assertThat(replay.statusCode()).as(TestHttp.body(replay)).isEqualTo(200);
				assertThat(replay.body()).isEqualTo(answer.body());
				assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
			}
			assertThat(runs.of("held-waiting")).isEqualTo(before + 1);
		}
		finally {
			clients.shutdownNow();
		}
	}

	@Test
	void aWaitShorterThanTheCallEndsIn409AfterTheWait() throws Exception {
		String key = key();
		String gate = key();
		Map<String, String> headers = Map.of("Idempotency-Key", key, "X-Gate", gate);
		int started = runs.of("held-short-wait-started");
		CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture
			.supplyAsync(() -> http.post("/held-short-wait", PAYMENT, headers));
		await().atMost(Duration.ofSeconds(10)).until(() -> runs.of("held-short-wait-started") > started);
		long sent = System.nanoTime();
		HttpResponse<byte[]> refused = http.post("/held-short-wait", PAYMENT, headers);
		Duration waited = Duration.ofNanos(System.nanoTime() - sent);
		runs.gate(gate).complete(null);

		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(first.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
	}

	private static double waitingNow(String endpoint) {
		Gauge gauge = app.getBean(MeterRegistry.class).find("idempotency.waiting").tag("endpoint", endpoint).gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	@Test
	void fiftyConcurrentRequestsWithOneKeyRunTheMethodOnce() throws Exception {
		String key = key();
		int before = runs.of("payments");
		CountDownLatch go = new CountDownLatch(1);
		ExecutorService clients = Executors.newFixedThreadPool(50);
		try {
			List<Future<HttpResponse<byte[]>>> responses = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				responses.add(clients.submit(() -> {
					go.await();
					return http.post("/payments", key, PAYMENT);
				}));
			}
			go.countDown();
			List<Integer> statuses = new ArrayList<>();
			for (Future<HttpResponse<byte[]>> response : responses) {
				statuses.add(response.get().statusCode());
			}
			assertThat(statuses).allMatch((status) -> status == 201 || status == 409).contains(201);
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(runs.of("payments")).isEqualTo(before + 1);
	}

	@Test
	void invalidBodyGivesItsKeyBackSoTheCorrectedRetryRuns() {
		String key = key();
		int before = runs.of("payments");
		HttpResponse<byte[]> invalid = http.post("/payments", key, "{\"account\":\"acme\",\"amount\":-5}");
		assertThat(invalid.statusCode()).isEqualTo(400);
		HttpResponse<byte[]> unreadable = http.post("/payments", key, "{not json");
		assertThat(unreadable.statusCode()).isEqualTo(400);
		assertThat(runs.of("payments")).isEqualTo(before);
		assertThat(http.post("/payments", key, PAYMENT).statusCode()).isEqualTo(201);
		assertThat(http.post("/payments", key, "{\"account\":\"acme\",\"amount\":-5}").statusCode()).isEqualTo(422);
		assertThat(runs.of("payments")).isEqualTo(before + 1);
	}

	@Test
	void plainValuesEntitiesOfMonoAndFiniteFluxesAreStoredAndReplayed() {
		for (String path : List.of("/plain", "/entity-of-mono", "/batch")) {
			String handler = path.substring(1);
			String key = key();
			int before = runs.of(handler);
			HttpResponse<byte[]> first = http.post(path, key, PAYMENT);
			HttpResponse<byte[]> replay = http.post(path, key, PAYMENT);
			assertThat(first.statusCode()).as(path).isIn(200, 201, 202);
			assertThat(replay.statusCode()).as(path).isEqualTo(first.statusCode());
			assertThat(replay.body()).as(path).isEqualTo(first.body()).isNotEmpty();
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).as(path).contains("true");
			assertThat(runs.of(handler)).as(path).isEqualTo(before + 1);
		}
		assertThat(TestHttp.body(http.post("/batch", key(), PAYMENT))).startsWith("[").endsWith("]");
	}

	@Test
	void aFluxStreamedBecauseTheClientAskedForNdjsonIsSentAndItsKeyGivenBack() {
		String key = key();
		int before = runs.of("negotiated-batch");
		Map<String, String> ndjson = Map.of("Idempotency-Key", key, "Accept", "application/x-ndjson");
		HttpResponse<byte[]> streamed = http.post("/negotiated-batch", PAYMENT, ndjson);
		assertThat(streamed.statusCode()).isEqualTo(200);
		assertThat(streamed.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/x-ndjson"));
		assertThat(TestHttp.body(streamed).lines()).hasSize(3);
		HttpResponse<byte[]> again = http.post("/negotiated-batch", PAYMENT, ndjson);
		assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(runs.of("negotiated-batch")).isEqualTo(before + 2);
		HttpResponse<byte[]> json = http.post("/negotiated-batch", key(), PAYMENT);
		assertThat(TestHttp.body(json)).startsWith("[");
	}

	@Test
	void formPostsAreFingerprintedByTheirFieldsAndStillBoundToTheModel() {
		String key = key();
		int before = runs.of("form-model");
		HttpResponse<byte[]> first = postForm("/form-model", key, "account=acme&amount=1250");
		HttpResponse<byte[]> replay = postForm("/form-model", key, "amount=1250&account=acme");
		HttpResponse<byte[]> reused = postForm("/form-model", key, "account=acme&amount=1");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(TestHttp.body(first)).contains("\"account\":\"acme\"").contains("\"amount\":1250");
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(reused.statusCode()).isEqualTo(422);
		assertThat(runs.of("form-model")).isEqualTo(before + 1);
	}

	private static HttpResponse<byte[]> postForm(String path, String key, String form) {
		return http.send(HttpRequest.newBuilder(http.uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build());
	}

	@Test
	void errorStatusBelow500IsStoredAndReplayed() {
		String key = key();
		int before = runs.of("missing");
		HttpResponse<byte[]> first = http.post("/missing", key, PAYMENT);
		HttpResponse<byte[]> replay = http.post("/missing", key, PAYMENT);
		assertThat(first.statusCode()).isEqualTo(404);
		assertThat(replay.statusCode()).isEqualTo(404);
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
		assertThat(runs.of("missing")).isEqualTo(before + 1);
	}

	@Test
	void serverErrorIsNotStoredSoTheRetryRunsAgain() {
		String key = key();
		int before = runs.of("broken");
		assertThat(http.post("/broken", key, PAYMENT).statusCode()).isEqualTo(500);
		HttpResponse<byte[]> retry = http.post("/broken", key, PAYMENT);
		assertThat(retry.statusCode()).isEqualTo(500);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(runs.of("broken")).isEqualTo(before + 2);
	}

	@Test
	void optionalKeyRunsEveryRequestWithoutOne() {
		int before = runs.of("optional");
		assertThat(http.post("/optional", null, PAYMENT).statusCode()).isEqualTo(200);
		assertThat(http.post("/optional", null, PAYMENT).statusCode()).isEqualTo(200);
		assertThat(runs.of("optional")).isEqualTo(before + 2);
	}

	@Test
	void twoInstancesOnOneRedisShareTheirKeys() {
		try (ConfigurableApplicationContext second = startApp()) {
			TestHttp secondHttp = new TestHttp(port(second));
			String key = key();
			HttpResponse<byte[]> first = http.post("/payments", key, PAYMENT);
			HttpResponse<byte[]> replay = secondHttp.post("/payments", key, PAYMENT);
			assertThat(replay.statusCode()).isEqualTo(201);
			assertThat(replay.body()).isEqualTo(first.body());
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
			assertThat(second.getBean(Runs.class).of("payments")).isZero();
		}
	}

	@Test
	void redisKilledOrFrozenIs503AndNothingRunsUntilItIsBack() {
		int before = runs.of("payments");
		redis.kill();
		try {
			HttpResponse<byte[]> down = http.post("/payments", key(), PAYMENT);
			assertThat(down.statusCode()).isEqualTo(503);
			assertThat(down.headers().firstValue("Retry-After")).contains("5");
			assertThat(TestHttp.body(down)).contains("/store-unavailable");
		}
		finally {
			redis.restart();
		}
		String key = key();
		await().atMost(Duration.ofSeconds(30)).until(() -> http.post("/payments", key, PAYMENT).statusCode() == 201);
		redis.pause();
		try {
			assertThat(http.post("/payments", key(), PAYMENT).statusCode()).isEqualTo(503);
		}
		finally {
			redis.resume();
		}
		assertThat(runs.of("payments")).isEqualTo(before + 1);
		HttpResponse<byte[]> replay = http.post("/payments", key, PAYMENT);
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
	}

	@Test
	void aClaimThatRedisExecutesLateIsReleasedSoTheRetryRuns() {
		String key = key();
		int before = runs.of("payments");
		redis.pause();
		try {
			assertThat(http.post("/payments", key, PAYMENT).statusCode()).isEqualTo(503);
		}
		finally {
			redis.resume();
		}
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> http.post("/payments", key, PAYMENT).statusCode() == 201);
		assertThat(runs.of("payments")).isEqualTo(before + 1);
	}

	@Test
	void failOpenRunsWithoutIdempotencyWhileRedisIsDown() {
		List<String> settings = new ArrayList<>(List.of(redis.storeSettings("fail-open")));
		try (ConfigurableApplicationContext failOpen = ReactiveTestApplication.start(settings.toArray(String[]::new))) {
			TestHttp failOpenHttp = new TestHttp(port(failOpen));
			Runs failOpenRuns = failOpen.getBean(Runs.class);
			redis.kill();
			try {
				String key = key();
				assertThat(failOpenHttp.post("/payments", key, PAYMENT).statusCode()).isEqualTo(201);
				HttpResponse<byte[]> again = failOpenHttp.post("/payments", key, PAYMENT);
				assertThat(again.statusCode()).isEqualTo(201);
				assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
				assertThat(failOpenRuns.of("payments")).isEqualTo(2);
				assertThat(RequestCounts.of(failOpen.getBean(MeterRegistry.class), "fail_open")).isEqualTo(2);
			}
			finally {
				redis.restart();
			}
		}
		String key = key();
		await().atMost(Duration.ofSeconds(30)).until(() -> http.post("/payments", key, PAYMENT).statusCode() == 201);
	}

	@Test
	void keysAreScopedToTheAuthenticatedCaller() {
		String key = key();
		int before = runs.of("payments");
		HttpResponse<byte[]> alice = http.post("/payments", PAYMENT,
				Map.of("Idempotency-Key", key, "Authorization", basic("alice")));
		HttpResponse<byte[]> bob = http.post("/payments", PAYMENT,
				Map.of("Idempotency-Key", key, "Authorization", basic("bob")));
		HttpResponse<byte[]> aliceAgain = http.post("/payments", PAYMENT,
				Map.of("Idempotency-Key", key, "Authorization", basic("alice")));
		assertThat(alice.statusCode()).isEqualTo(201);
		assertThat(bob.statusCode()).isEqualTo(201);
		assertThat(bob.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(bob.body()).isNotEqualTo(alice.body());
		assertThat(aliceAgain.body()).isEqualTo(alice.body());
		assertThat(aliceAgain.headers().firstValue("Idempotent-Replayed")).contains("true");
		assertThat(runs.of("payments")).isEqualTo(before + 2);
	}

	@Test
	void everyOutcomeIsCounted() {
		MeterRegistry registry = app.getBean(MeterRegistry.class);
		double executed = RequestCounts.of(registry, "executed");
		double replayed = RequestCounts.of(registry, "replayed");
		double notRun = RequestCounts.of(registry, "not_run");
		double rejected = RequestCounts.of(registry, "rejected");
		String key = key();
		http.post("/payments", key, "{\"account\":\"\",\"amount\":1}");
		http.post("/payments", key, PAYMENT);
		http.post("/payments", key, PAYMENT);
		http.post("/payments", null, PAYMENT);
		assertThat(RequestCounts.of(registry, "not_run") - notRun).isEqualTo(1);
		assertThat(RequestCounts.of(registry, "executed") - executed).isEqualTo(1);
		assertThat(RequestCounts.of(registry, "replayed") - replayed).isEqualTo(1);
		assertThat(RequestCounts.of(registry, "rejected") - rejected).isEqualTo(1);
	}

	@Test
	void functionalEndpointsGetTheSameGuaranteeThroughTheFilter() {
		String key = key();
		int before = runs.of("functional");
		HttpResponse<byte[]> first = http.post("/functional/payments", key, PAYMENT);
		HttpResponse<byte[]> replay = http.post("/functional/payments", key, PAYMENT);
		HttpResponse<byte[]> reused = http.post("/functional/payments", key, "{\"account\":\"acme\",\"amount\":1}");
		HttpResponse<byte[]> missing = http.post("/functional/payments", null, PAYMENT);
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(TestHttp.body(first)).contains("\"account\":\"acme\"");
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
		assertThat(reused.statusCode()).isEqualTo(422);
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(runs.of("functional")).isEqualTo(before + 1);
	}

	@Test
	void theOperatorsEndpointInspectsAndEvictsAKey() {
		String key = key();
		HttpResponse<byte[]> first = http.post("/payments", key, PAYMENT);
		URI endpoint = http.uri("/actuator/idempotency?key=" + key);

		HttpResponse<byte[]> inspected = http.send(HttpRequest.newBuilder(endpoint).build());
		HttpResponse<byte[]> evicted = http.send(HttpRequest.newBuilder(endpoint).DELETE().build());
		HttpResponse<byte[]> again = http.post("/payments", key, PAYMENT);

		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(inspected.statusCode()).isEqualTo(200);
		assertThat(TestHttp.body(inspected)).contains("\"state\":\"completed\"")
			.contains("\"status\":201")
			.contains("\"bodyBytes\":" + first.body().length);
		assertThat(TestHttp.body(evicted)).contains("\"evicted\":true");
		assertThat(again.headers().firstValue("Idempotent-Replayed")).as("the next request runs").isEmpty();
		assertThat(http.send(HttpRequest.newBuilder(http.uri("/actuator/idempotency")).build()).statusCode())
			.as("no key")
			.isEqualTo(400);
	}

	@Test
	void healthShowsTheStoreAndGoesDownWithRedis() {
		HttpResponse<byte[]> up = http.send(HttpRequest.newBuilder(http.uri("/actuator/health")).build());
		assertThat(up.statusCode()).isEqualTo(200);
		assertThat(TestHttp.body(up)).contains("\"idempotency\":{\"status\":\"UP\"");
		redis.kill();
		try {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> http.send(HttpRequest.newBuilder(http.uri("/actuator/health")).build())
					.statusCode() == 503);
		}
		finally {
			redis.restart();
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> http.send(HttpRequest.newBuilder(http.uri("/actuator/health")).build()).statusCode() == 200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "jedis", "jdbc" })
	void otherStoresAndClientsNeverBlockTheEventLoopEither(String store) {
		List<String> settings = new ArrayList<>();
		if (store.equals("jedis")) {
			settings.addAll(List.of(redis.storeSettings("fail-closed")));
			settings.add("spring.data.redis.client-type=jedis");
		}
		else {
			settings.addAll(List.of("idempotency.store=jdbc", "spring.datasource.url=jdbc:h2:mem:webflux-" + key(),
					"idempotency.jdbc.initialize-schema=always", "management.health.redis.enabled=false",
					"spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port()));
		}
		try (ConfigurableApplicationContext other = ReactiveTestApplication.start(settings.toArray(String[]::new))) {
			TestHttp otherHttp = new TestHttp(port(other));
			Runs otherRuns = other.getBean(Runs.class);
			String key = key();
			HttpResponse<byte[]> first = otherHttp.post("/payments", key, PAYMENT);
			HttpResponse<byte[]> replay = otherHttp.post("/payments", key, PAYMENT);
			HttpResponse<byte[]> reused = otherHttp.post("/payments", key, "{\"account\":\"acme\",\"amount\":1}");
			assertThat(first.statusCode()).as(store).isEqualTo(201);
			assertThat(replay.body()).as(store).isEqualTo(first.body());
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).as(store).contains("true");
			assertThat(reused.statusCode()).as(store).isEqualTo(422);
			assertThat(otherRuns.of("payments")).as(store).isEqualTo(1);
			HttpResponse<byte[]> handled = otherHttp.post("/event-loop", key(), PAYMENT);
			assertThat(handled.headers().firstValue("X-Own-Event-Loop")).as(store + ": " + TestHttp.body(handled))
				.contains("true");
		}
	}

	@Test
	void callsAreObservedWithTheirOutcomesAndStoreCalls() {
		List<String> settings = new ArrayList<>(List.of(redis.storeSettings("fail-closed")));
		settings.add("management.health.redis.enabled=false");
		try (ConfigurableApplicationContext observed = ReactiveTestApplication
			.start(List.of(ObservedTestApplication.Tracing.class), settings.toArray(String[]::new))) {
			TestHttp observedHttp = new TestHttp(port(observed));
			String key = key();
			assertThat(observedHttp.post("/payments", key, PAYMENT).statusCode()).isEqualTo(201);
			assertThat(observedHttp.post("/payments", key, PAYMENT).statusCode()).isEqualTo(201);
			assertThat(observedHttp.post("/payments", null, PAYMENT).statusCode()).isEqualTo(400);
			List<Observation.Context> contexts = observed.getBean(RecordedObservations.class).contexts();
			List<Observation.Context> calls = contexts.stream()
				.filter((context) -> context.getName().equals("idempotency.call"))
				.filter((context) -> "Payments#pay".equals(value(context, "endpoint")))
				.toList();
			assertThat(calls).extracting((context) -> value(context, "outcome"))
				.containsExactly("executed", "replayed", "rejected");
			assertThat(storeCallsOf(contexts, calls.get(0))).containsExactly("claim success", "complete success");
			assertThat(storeCallsOf(contexts, calls.get(1))).containsExactly("claim success");
			assertThat(storeCallsOf(contexts, calls.get(2))).isEmpty();
			assertThat(observed.getBean(SimpleTracer.class).getSpans())
				.filteredOn((span) -> "idempotency".equals(span.getName()))
				.extracting((span) -> span.getTags().get("outcome"))
				.containsExactly("executed", "replayed", "rejected");
		}
	}

	private static List<String> storeCallsOf(List<Observation.Context> contexts, Observation.Context call) {
		return contexts.stream()
			.filter((context) -> context.getName().equals("idempotency.store.call"))
			.filter((context) -> context.getParentObservation() != null
					&& context.getParentObservation().getContextView() == call)
			.map((context) -> value(context, "operation") + " " + value(context, "result"))
			.toList();
	}

	private static String value(Observation.Context context, String key) {
		KeyValue value = context.getLowCardinalityKeyValue(key);
		return (value != null) ? value.getValue() : null;
	}

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
	}

}
