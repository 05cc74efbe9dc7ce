package io.github.idempotency.internal.actuate;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.jayway.jsonpath.JsonPath;
import io.github.idempotency.testapp.Gate;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.SecuredTestApplication;
import io.github.idempotency.testapp.TestHttp;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code idempotency} Actuator endpoint through real HTTP on a real Redis (R37): it
 * is not exposed unless the application asks; it shows a key's state (completed with its
 * status and body size but never the body, in progress, absent, unreadable) for a global,
 * a caller's and a method's key; it evicts a key so the next request runs, logging who
 * asked and counting it; and it answers bad input with 400 and an unreachable store with
 * 503, never with a 500.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdempotencyEndpointTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	private static RedisServerProcess redis;

	private static RunningApp app;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		app = RunningApp.start(settings("management.endpoints.web.exposure.include=health,idempotency"));
	}

	@AfterAll
	static void stop() {
		app.close();
		redis.close();
	}

	private static String[] settings(String... more) {
		String[] store = redis.storeSettings("fail-closed");
		String[] all = new String[store.length + more.length + 1];
		System.arraycopy(store, 0, all, 0, store.length);
		System.arraycopy(more, 0, all, store.length, more.length);
		all[all.length - 1] = "idempotency.key-prefix=endpoint";
		return all;
	}

	@Test
	void theEndpointIsNotExposedUnlessTheApplicationAsks() {
		try (RunningApp hidden = RunningApp.start(settings())) {
			assertThat(get(hidden.http(), "?key=abc", null).statusCode()).isEqualTo(404);
		}
	}

	@Test
	void aCompletedKeyShowsItsStatusAndBodySizeButNeverItsBody() {
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> created = app.http().post("/orders", key, ORDER);

		String report = body(get(app.http(), "?key=" + encode(key), null));

		assertThat(created.statusCode()).isEqualTo(201);
		assertThat((String) JsonPath.read(report, "$.state")).isEqualTo("completed");
		assertThat((Integer) JsonPath.read(report, "$.status")).isEqualTo(201);
		assertThat((Integer) JsonPath.read(report, "$.bodyBytes")).isEqualTo(created.body().length);
		assertThat(((Number) JsonPath.read(report, "$.expiresInMillis")).longValue()).isPositive()
			.isLessThanOrEqualTo(24 * 3600 * 1000L);
		assertThat((String) JsonPath.read(report, "$.storageKey")).startsWith("endpoint:");
		assertThat(report).doesNotContain(body(created)).doesNotContain("Location");
	}

	@Test
	void anAbsentKeySaysSo() {
		assertThat((String) JsonPath.read(body(get(app.http(), "?key=" + UUID.randomUUID(), null)), "$.state"))
			.isEqualTo("absent");
	}

	@Test
	void aKeyInFlightShowsItsRemainingLockAndEvictingItLetsTheNextRequestRun(CapturedOutput output) throws Exception {
		Gate gate = app.bean(Gate.class);
		gate.close();
		String key = UUID.randomUUID().toString();
		int before = app.executions().count("slow");
		CompletableFuture<HttpResponse<byte[]>> stuck = CompletableFuture
			.supplyAsync(() -> app.http().post("/slow", key, "{}"));
		gate.awaitEntered();

		String report = body(get(app.http(), "?key=" + key, null));
		assertThat((String) JsonPath.read(report, "$.state")).isEqualTo("in-progress");
		assertThat(((Number) JsonPath.read(report, "$.expiresInMillis")).longValue()).isPositive()
			.isLessThanOrEqualTo(30_000);
		assertThat(app.http().post("/slow", key, "{}").statusCode()).isEqualTo(409);

		HttpResponse<byte[]> evicted = delete(app.http(), "?key=" + key, null);
		assertThat(evicted.statusCode()).isEqualTo(200);
		assertThat((Boolean) JsonPath.read(body(evicted), "$.evicted")).isTrue();
		gate.open();
		assertThat(app.http().post("/slow", key, "{}").statusCode()).as("the next request runs").isEqualTo(201);
		assertThat(app.executions().count("slow")).isEqualTo(before + 2);
		assertThat(stuck.get().statusCode()).isEqualTo(201);
		assertThat(output).contains("Evicted idempotency key endpoint:")
			.contains("at the request of an unauthenticated caller");
		assertThat(app.bean(MeterRegistry.class).counter("idempotency.evictions", "result", "evicted").count())
			.isPositive();
	}

	@Test
	void evictingAKeyWithoutARecordSaysSo() {
		HttpResponse<byte[]> response = delete(app.http(), "?key=" + UUID.randomUUID(), null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat((Boolean) JsonPath.read(body(response), "$.evicted")).isFalse();
	}

	@Test
	void aMethodsKeyIsFoundByItsScope() {
		String paymentId = "pay_" + UUID.randomUUID();
		assertThat(app.http().post("/events/" + paymentId, null, "{}").statusCode()).isEqualTo(200);

		String scoped = body(get(app.http(),
				"?key=" + paymentId + "&scope=io.github.idempotency.testapp.EventReceipts%23receipt", null));
		String unscoped = body(get(app.http(), "?key=" + paymentId, null));

		assertThat((String) JsonPath.read(scoped, "$.state")).isEqualTo("completed");
		assertThat((String) JsonPath.read(unscoped, "$.state")).isEqualTo("absent");
	}

	@Test
	void aRecordOfAnotherWriterIsUnreadable() {
		String key = UUID.randomUUID().toString();
		String storageKey = JsonPath.read(body(get(app.http(), "?key=" + key, null)), "$.storageKey");
		redis.cli("SET", storageKey, "not a record");

		String report = body(get(app.http(), "?key=" + key, null));

		assertThat((String) JsonPath.read(report, "$.state")).isEqualTo("unreadable");
		assertThat((Boolean) JsonPath.read(body(delete(app.http(), "?key=" + key, null)), "$.evicted")).isTrue();
	}

	@Test
	void badInputIs400() {
		assertThat(get(app.http(), "", null).statusCode()).as("no key").isEqualTo(400);
		assertThat(get(app.http(), "?key=" + "k".repeat(256), null).statusCode()).as("too long").isEqualTo(400);
		assertThat(get(app.http(), "?key=%22unterminated", null).statusCode()).as("malformed").isEqualTo(400);
		assertThat(get(app.http(), "?key=abc&caller=alice&scope=T%23m", null).statusCode()).as("both selectors")
			.isEqualTo(400);
		assertThat(delete(app.http(), "", null).statusCode()).as("no key to evict").isEqualTo(400);
	}

	@Test
	void anUnreachableStoreIs503() {
		try {
			redis.stop();
			HttpResponse<byte[]> read = get(app.http(), "?key=abc", null);
			HttpResponse<byte[]> evict = delete(app.http(), "?key=abc", null);
			assertThat(read.statusCode()).isEqualTo(503);
			assertThat(body(read)).contains("did not answer");
			assertThat(evict.statusCode()).isEqualTo(503);
		}
		finally {
			redis.restart();
		}
	}

	@Test
	void anAuthenticatedCallersKeyIsFoundByItsName(CapturedOutput output) {
		try (RunningApp secured = RunningApp.start(SecuredTestApplication.class,
				settings("management.endpoints.web.exposure.include=idempotency"))) {
			String key = UUID.randomUUID().toString();
			HttpResponse<byte[]> created = secured.http()
				.post("/orders", ORDER, Map.of("Idempotency-Key", key, "Authorization", basic("alice")));
			assertThat(created.statusCode()).isEqualTo(201);

			assertThat((String) JsonPath.read(body(get(secured.http(), "?key=" + key + "&caller=alice", "bob")),
					"$.state"))
				.isEqualTo("completed");
			assertThat((String) JsonPath.read(body(get(secured.http(), "?key=" + key, "bob")), "$.state"))
				.isEqualTo("absent");
			HttpResponse<byte[]> evicted = delete(secured.http(), "?key=" + key + "&caller=alice", "bob");
			assertThat((Boolean) JsonPath.read(body(evicted), "$.evicted")).isTrue();
			assertThat(output).contains("at the request of bob");
		}
	}

	static HttpResponse<byte[]> get(TestHttp http, String query, String user) {
		return http.send(request(http, query, user).GET().build());
	}

	static HttpResponse<byte[]> delete(TestHttp http, String query, String user) {
		return http.send(request(http, query, user).DELETE().build());
	}

	private static HttpRequest.Builder request(TestHttp http, String query, String user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(http.uri("/actuator/idempotency" + query));
		if (user != null) {
			request.header("Authorization", basic(user));
		}
		return request;
	}

	private static String basic(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
