package io.github.idempotency.internal.servlet;

import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.idempotency.internal.claim.StorageKeys;
import io.github.idempotency.testapp.RequestCounts;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour of idempotent endpoints over real HTTP against a real Redis.
 */
class IdempotentEndpointTests extends RunningRedisApp {

	private static final String ORDER = "{\"item\":\"book\",\"quantity\":1}";

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	MeterRegistry meterRegistry;

	private static String newKey() {
		return "\"" + UUID.randomUUID() + "\"";
	}

	@Test
	void replaysStoredResponseWithReplayedHeader() {
		String key = newKey();
		HttpResponse<byte[]> first = this.http.post("/orders", key, ORDER);
		HttpResponse<byte[]> replay = this.http.post("/orders", key, ORDER);

		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(comparableHeaders(replay.headers())).isEqualTo(comparableHeaders(first.headers()));
		assertThat(first.headers().allValues("X-Multi")).containsExactly("one", "two");
		assertThat(this.executions.count("orders")).isEqualTo(1);
	}

	@Test
	void replaysAPlainBodyWithItsResponseStatus() {
		String key = newKey();
		HttpResponse<byte[]> first = this.http.post("/plain", key, ORDER);
		HttpResponse<byte[]> replay = this.http.post("/plain", key, ORDER);
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
		assertThat(this.executions.count("plain")).isEqualTo(1);
	}

	@Test
	void replaysAnEmptyBodyResponse() {
		String key = newKey();
		HttpResponse<byte[]> first = this.http.post("/no-body", key, "");
		HttpResponse<byte[]> replay = this.http.post("/no-body", key, "");
		assertThat(first.statusCode()).isEqualTo(204);
		assertThat(replay.statusCode()).isEqualTo(204);
		assertThat(replay.headers().firstValue("X-Done")).hasValue("yes");
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(this.executions.count("no-body")).isEqualTo(1);
	}

	@Test
	void jsonWithOtherMemberOrderIsTheSameRequest() {
		String key = newKey();
		this.http.post("/orders", key, "{\"item\":\"book\",\"quantity\":1}");
		HttpResponse<byte[]> replay = this.http.post("/orders", key, "{ \"quantity\": 1, \"item\": \"book\" }");
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(this.executions.count("orders")).isEqualTo(1);
	}

	@Test
	void sameKeyWithADifferentBodyIs422() {
		String key = newKey();
		this.http.post("/orders", key, ORDER);
		HttpResponse<byte[]> other = this.http.post("/orders", key, "{\"item\":\"pen\",\"quantity\":1}");
		assertProblem(other, 422, "key-reused");
		assertThat(this.executions.count("orders")).isEqualTo(1);
	}

	@Test
	void sameKeyOnADifferentEndpointIs422() {
		String key = newKey();
		this.http.post("/orders", key, ORDER);
		assertProblem(this.http.post("/plain", key, ORDER), 422, "key-reused");
		assertThat(this.executions.count("plain")).isZero();
	}

	@Test
	void formFieldsArePartOfTheFingerprint() {
		String key = UUID.randomUUID().toString();
		assertThat(body(postForm(key, "amount=100"))).isEqualTo("charged 100 #1");
		assertThat(body(postForm(key, "amount=100"))).isEqualTo("charged 100 #1");
		assertProblem(postForm(key, "amount=900"), 422, "key-reused");
		assertThat(this.executions.count("form")).isEqualTo(1);
	}

	private HttpResponse<byte[]> postForm(String key, String form) {
		return this.http.send(java.net.http.HttpRequest.newBuilder(this.http.uri("/form"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Idempotency-Key", key)
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(form))
			.build());
	}

	@Test
	void replayIsAnsweredBeforeTheBodyIsBound() {
		String key = newKey();
		HttpResponse<byte[]> first = this.http.post("/orders", key, ORDER);
		HttpResponse<byte[]> replay = this.http.post("/orders", key, ORDER);
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(this.executions.count("bound:createOrder")).isEqualTo(1);
		assertThat(this.executions.count("orders")).isEqualTo(1);
	}

	@Test
	void usedKeyWithABodySpringMvcCannotReadIs422() {
		String key = newKey();
		this.http.post("/orders", key, ORDER);
		assertProblem(this.http.post("/orders", key, "{not json"), 422, "key-reused");
		assertThat(this.executions.count("bound:createOrder")).isEqualTo(1);
		assertThat(this.executions.count("orders")).isEqualTo(1);
	}

	@Test
	void unreadableBodyGivesItsClaimBackSoTheCorrectedRetryRuns() {
		double notRun = RequestCounts.of(this.meterRegistry, "not_run");
		String key = newKey();
		assertThat(this.http.post("/orders", key, "{not json").statusCode()).isEqualTo(400);
		assertThat(this.redis.hasKey(new StorageKeys("endpoint-tests").storageKey("", key))).isFalse();
		assertThat(this.http.post("/orders", key, ORDER).statusCode()).isEqualTo(201);
		assertThat(this.http.post("/orders", key, ORDER).headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(this.executions.count("orders")).isEqualTo(1);
		assertThat(RequestCounts.of(this.meterRegistry, "not_run") - notRun).isEqualTo(1);
	}

	@Test
	void bodyOfAnInterfaceDeclaredRequestBodyIsPartOfTheFingerprint() {
		String key = newKey();
		assertThat(body(this.http.post("/api/orders", key, "{\"item\":\"book\"}"))).isEqualTo("api order 1");
		assertThat(body(this.http.post("/api/orders", key, "{\"item\":\"book\"}"))).isEqualTo("api order 1");
		assertProblem(this.http.post("/api/orders", key, "{\"item\":\"pen\"}"), 422, "key-reused");
		assertThat(this.executions.count("api-orders")).isEqualTo(1);
	}

	@Test
	void formPostedRequestBodyIsReadAheadAndStillBound() {
		String key = newKey();
		HttpResponse<byte[]> first = post("/form-body", "application/x-www-form-urlencoded", key, "amount=100&to=ann");
		assertThat(body(first)).isEqualTo("form {amount=100, to=ann} #1");
		assertThat(body(post("/form-body", "application/x-www-form-urlencoded", key, "amount=100&to=ann")))
			.isEqualTo("form {amount=100, to=ann} #1");
		assertProblem(post("/form-body", "application/x-www-form-urlencoded", key, "amount=900&to=ann"), 422,
				"key-reused");
		assertThat(this.executions.count("form-body")).isEqualTo(1);
	}

	@Test
	void httpEntityBodyIsReadAheadAndStillBound() {
		String key = newKey();
		assertThat(body(post("/entity", "text/plain", key, "pay ann 100"))).isEqualTo("entity pay ann 100 #1");
		assertThat(body(post("/entity", "text/plain", key, "pay ann 100"))).isEqualTo("entity pay ann 100 #1");
		assertProblem(post("/entity", "text/plain", key, "pay ann 900"), 422, "key-reused");
		assertThat(this.executions.count("entity")).isEqualTo(1);
	}

	@Test
	void filterThatCopiesTheBodyAsSpringMvcReadsItStillSeesIt() {
		String key = newKey();
		assertThat(body(this.http.post("/logged-orders", key, ORDER))).isEqualTo(ORDER + " #1");
		assertThat(this.executions.count("logged:" + ORDER)).isEqualTo(1);
		assertThat(body(this.http.post("/logged-orders", key, ORDER))).isEqualTo(ORDER + " #1");
		assertProblem(this.http.post("/logged-orders", key, "{\"item\":\"pen\"}"), 422, "key-reused");
		assertThat(this.executions.count("filtered")).isEqualTo(1);
	}

	@Test
	void bodyAFilterReadFirstIsFingerprintedAsSpringMvcReadsIt() {
		String key = newKey();
		assertThat(body(this.http.post("/signed-orders", key, ORDER))).isEqualTo(ORDER + " #1");
		assertThat(body(this.http.post("/signed-orders", key, ORDER))).isEqualTo(ORDER + " #1");
		assertProblem(this.http.post("/signed-orders", key, "{\"item\":\"pen\"}"), 422, "key-reused");
		assertThat(this.executions.count("filtered")).isEqualTo(1);
	}

	private HttpResponse<byte[]> post(String path, String contentType, String key, String body) {
		return this.http.send(java.net.http.HttpRequest.newBuilder(this.http.uri(path))
			.header("Content-Type", contentType)
			.header("Idempotency-Key", key)
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	@Test
	void missingKeyIs400AndDoesNotRun() {
		assertProblem(this.http.post("/orders", null, ORDER), 400, "missing-key");
		assertThat(this.executions.count("orders")).isZero();
	}

	@Test
	void emptyKeyIs400AndDoesNotRun() {
		assertProblem(this.http.post("/orders", "", ORDER), 400, "invalid-key");
		assertProblem(this.http.post("/orders", "\"\"", ORDER), 400, "invalid-key");
		assertThat(this.executions.count("orders")).isZero();
	}

	@Test
	void keyOf256CharactersIs400AndOf255Runs() {
		assertProblem(this.http.post("/orders", "k".repeat(256), ORDER), 400, "invalid-key");
		assertThat(this.executions.count("orders")).isZero();
		assertThat(
				this.http.post("/orders", UUID.randomUUID().toString().repeat(8).substring(0, 255), ORDER).statusCode())
			.isEqualTo(201);
		assertThat(this.executions.count("orders")).isEqualTo(1);
	}

	@Test
	void optionalKeyRunsWithoutIdempotencyWhenAbsent() {
		assertThat(body(this.http.post("/optional", null, "{}"))).isEqualTo("optional 1");
		assertThat(body(this.http.post("/optional", null, "{}"))).isEqualTo("optional 2");
		String key = newKey();
		assertThat(body(this.http.post("/optional", key, "{}"))).isEqualTo("optional 3");
		assertThat(body(this.http.post("/optional", key, "{}"))).isEqualTo("optional 3");
	}

	@Test
	void duplicateWhileTheFirstIsRunningGets409WithRetryAfter() throws Exception {
		String key = newKey();
		this.gate.close();
		CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture
			.supplyAsync(() -> this.http.post("/slow", key, "{\"n\":1}"));
		this.gate.awaitEntered();

		HttpResponse<byte[]> duplicate = this.http.post("/slow", key, "{\"n\":1}");
		assertProblem(duplicate, 409, "request-in-progress");
		assertThat(duplicate.headers().firstValue("Retry-After")).hasValue("1");

		this.gate.open();
		assertThat(first.get().statusCode()).isEqualTo(201);
		HttpResponse<byte[]> replay = this.http.post("/slow", key, "{\"n\":1}");
		assertThat(body(replay)).isEqualTo("slow 1");
		assertThat(this.executions.count("slow")).isEqualTo(1);
	}

	@Test
	void differentBodyWhileTheFirstIsRunningIs422() throws Exception {
		String key = newKey();
		this.gate.close();
		CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture
			.supplyAsync(() -> this.http.post("/slow", key, "{\"n\":1}"));
		this.gate.awaitEntered();
		assertProblem(this.http.post("/slow", key, "{\"n\":2}"), 422, "key-reused");
		this.gate.open();
		assertThat(first.get().statusCode()).isEqualTo(201);
	}

	@Test
	void exceptionReleasesTheKeySoTheRetryRuns() {
		String key = newKey();
		HttpResponse<byte[]> failed = this.http.post("/fails-once", key, "{}");
		assertThat(failed.statusCode()).isEqualTo(500);
		assertThat(body(failed)).doesNotContain("IllegalStateException").doesNotContain("at io.github");
		HttpResponse<byte[]> retry = this.http.post("/fails-once", key, "{}");
		assertThat(retry.statusCode()).isEqualTo(201);
		assertThat(body(retry)).isEqualTo("attempt 2");
		assertThat(body(this.http.post("/fails-once", key, "{}"))).isEqualTo("attempt 2");
		assertThat(this.executions.count("fails-once")).isEqualTo(2);
	}

	@Test
	void serverErrorReleasesTheKeySoTheRetryRuns() {
		String key = newKey();
		assertThat(this.http.post("/unavailable-once", key, "{}").statusCode()).isEqualTo(503);
		assertThat(body(this.http.post("/unavailable-once", key, "{}"))).isEqualTo("attempt 2");
		assertThat(this.executions.count("unavailable-once")).isEqualTo(2);
	}

	@Test
	void status429IsNotStoredSoTheRetryRuns() {
		String key = newKey();
		assertThat(this.http.post("/too-many-once", key, "{}").statusCode()).isEqualTo(429);
		assertThat(this.http.post("/too-many-once", key, "{}").statusCode()).isEqualTo(201);
		assertThat(this.executions.count("too-many-once")).isEqualTo(2);
	}

	@Test
	void clientErrorOfTheHandlerIsStoredAndReplayed() {
		String key = newKey();
		HttpResponse<byte[]> first = this.http.post("/rejects", key, "{}");
		HttpResponse<byte[]> replay = this.http.post("/rejects", key, "{}");
		assertThat(first.statusCode()).isEqualTo(400);
		assertThat(replay.statusCode()).isEqualTo(400);
		assertThat(body(replay)).isEqualTo("rejected 1");
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
	}

	@Test
	void asynchronousEndpointThatIsNotIdempotentStillAnswersWhenAKeyIsSent() {
		HttpResponse<byte[]> response = this.http.post("/async-plain", newKey(), "{}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(body(response)).isEqualTo("async 1");
	}

	@Test
	void everyRedisKeyHasATtl() throws Exception {
		this.http.post("/orders", newKey(), ORDER);
		this.http.post("/fails-once", newKey(), "{}");
		this.gate.close();
		String slowKey = newKey();
		CompletableFuture<HttpResponse<byte[]>> inFlight = CompletableFuture
			.supplyAsync(() -> this.http.post("/slow", slowKey, "{}"));
		this.gate.awaitEntered();
		try {
			Set<String> keys = this.redis.keys("endpoint-tests:*");
			assertThat(keys).isNotEmpty();
			for (String key : keys) {
				assertThat(this.redis.getExpire(key)).as("TTL of %s", key).isPositive();
			}
		}
		finally {
			this.gate.open();
			inFlight.get();
		}
	}

	@Test
	void ttlSetOnTheAnnotationBoundsTheStoredRecord() {
		String key = UUID.randomUUID().toString();
		assertThat(this.http.post("/short-lock", key, "{}").statusCode()).isEqualTo(201);
		long ttlMillis = this.redis.getExpire(new StorageKeys("endpoint-tests").storageKey("", key),
				java.util.concurrent.TimeUnit.MILLISECONDS);
		assertThat(ttlMillis).isBetween(1L, 2_000L);
		String defaultKey = UUID.randomUUID().toString();
		this.http.post("/orders", defaultKey, ORDER);
		assertThat(this.redis.getExpire(new StorageKeys("endpoint-tests").storageKey("", defaultKey)))
			.isGreaterThan(Duration.ofHours(23).toSeconds());
	}

	@Test
	void clientKeyNeverAppearsInRedis() {
		String key = "\"{tag} secret-client-key\"";
		this.http.post("/orders", key, ORDER);
		assertThat(this.redis.keys("*secret-client-key*")).isEmpty();
		assertThat(this.redis.keys("endpoint-tests:*")).allMatch((k) -> k.matches("endpoint-tests:[A-Za-z0-9_-]{22}"));
	}

	@Test
	void lateFinisherWhoseClaimWasTakenOverDoesNotOverwriteTheNewerRecord() throws Exception {
		String key = UUID.randomUUID().toString();
		String storageKey = new StorageKeys("endpoint-tests").storageKey("", key);
		double lostBefore = counter("lost_claim");
		this.gate.close();
		CompletableFuture<HttpResponse<byte[]>> late = CompletableFuture
			.supplyAsync(() -> this.http.post("/slow-first-time", key, "{}"));
		this.gate.awaitEntered();
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.redis.hasKey(storageKey));

		HttpResponse<byte[]> takeover = this.http.post("/slow-first-time", key, "{}");
		assertThat(body(takeover)).isEqualTo("execution 2");
		this.gate.open();
		assertThat(body(late.get())).isEqualTo("execution 1");

		HttpResponse<byte[]> replay = this.http.post("/slow-first-time", key, "{}");
		assertThat(body(replay)).isEqualTo("execution 2");
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(counter("lost_claim") - lostBefore).isEqualTo(1);
	}

	@Test
	void foreignValueUnderTheKeyIsA409ProblemAndNothingRuns() {
		String key = UUID.randomUUID().toString();
		this.redis.opsForValue()
			.set(new StorageKeys("endpoint-tests").storageKey("", key), "not ours", Duration.ofMinutes(1));
		assertProblem(this.http.post("/orders", key, ORDER), 409, "record-unreadable");
		assertThat(this.executions.count("orders")).isZero();
	}

	@Test
	void truncatedStoredResponseIsA409ProblemAndNothingRuns() {
		String key = UUID.randomUUID().toString();
		this.http.post("/orders", key, ORDER);
		String storageKey = new StorageKeys("endpoint-tests").storageKey("", key);
		this.redis.execute((RedisCallback<Object>) (connection) -> {
			byte[] name = storageKey.getBytes(StandardCharsets.UTF_8);
			byte[] record = connection.stringCommands().get(name);
			return connection.stringCommands()
				.set(name, Arrays.copyOf(record, record.length / 2), Expiration.keepTtl(),
						RedisStringCommands.SetOption.upsert());
		});
		assertProblem(this.http.post("/orders", key, ORDER), 409, "record-unreadable");
		assertThat(this.executions.count("orders")).isEqualTo(1);
	}

	@Test
	void recordOfAnUnknownFormatVersionIsA409ProblemLoggedAndNothingRuns(CapturedOutput output) {
		String key = UUID.randomUUID().toString();
		String storageKey = new StorageKeys("endpoint-tests").storageKey("", key);
		this.redis.opsForValue().set(storageKey, "\u0009later format", Duration.ofMinutes(1));
		assertProblem(this.http.post("/orders", key, ORDER), 409, "record-unreadable");
		assertThat(this.executions.count("orders")).isZero();
		assertThat(output).contains("ERROR").contains(storageKey).contains("unknown format version 9");
	}

	@Test
	void recordOfTheOldHashLayoutIsA409ProblemAndNothingRuns() {
		String key = UUID.randomUUID().toString();
		String storageKey = new StorageKeys("endpoint-tests").storageKey("", key);
		this.redis.opsForHash()
			.putAll(storageKey, Map.of("owner", "0123", "fingerprint", "ab", "status", "201", "body", "{}"));
		this.redis.expire(storageKey, Duration.ofMinutes(1));
		assertProblem(this.http.post("/orders", key, ORDER), 409, "record-unreadable");
		assertThat(this.executions.count("orders")).isZero();
	}

	private double counter(String outcome) {
		return RequestCounts.of(this.meterRegistry, outcome);
	}

	private static void assertProblem(HttpResponse<byte[]> response, int status, String type) {
		assertThat(response.statusCode()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(body(response)).contains("\"type\":\"https://idempotency.github.io/problems/" + type + "\"")
			.contains("\"status\":" + status)
			.contains("\"title\":")
			.contains("\"detail\":");
	}

	private static Map<String, List<String>> comparableHeaders(HttpHeaders headers) {
		Map<String, List<String>> comparable = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		comparable.putAll(headers.map());
		comparable.remove("date");
		comparable.remove("Idempotent-Replayed");
		return comparable;
	}

}
