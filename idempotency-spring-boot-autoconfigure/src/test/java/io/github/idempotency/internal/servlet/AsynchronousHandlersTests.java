package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import io.github.idempotency.testsupport.Burst;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring MVC's asynchronous handlers ({@code CompletableFuture}, {@code DeferredResult},
 * {@code Callable}, {@code Mono}) over real HTTP on a real Redis: the claim is settled
 * when the asynchronous result is written, so the first response is stored and replayed
 * byte for byte, a duplicate in flight is 409, a failure gives the key back, and a
 * handler past Spring MVC's asynchronous timeout keeps its key claimed until its lock
 * timeout instead of letting a retry run beside it.
 */
class AsynchronousHandlersTests extends RunningRedisApp {

	private static final String ORDER = "{\"item\":\"book\",\"quantity\":1}";

	@ParameterizedTest
	@ValueSource(strings = { "future", "deferred", "callable", "mono" })
	void theAsynchronousResultIsStoredAndReplayedByteForByte(String kind) {
		String key = newKey();
		HttpResponse<byte[]> first = this.http.post("/async/" + kind, key, ORDER);
		HttpResponse<byte[]> replay = this.http.post("/async/" + kind, key, ORDER);

		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(body(first)).contains("\"item\":\"book\"").contains("\"number\":1");
		assertThat(first.headers().firstValue("X-Thread")).hasValue("other");
		assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(this.http.post("/async/" + kind, key, "{\"item\":\"pen\"}").statusCode()).isEqualTo(422);
		assertThat(this.executions.count("async-" + kind)).isEqualTo(1);
	}

	@Test
	void aDuplicateWhileTheResultIsPendingIs409AndAfterwardsTheReplay() throws Exception {
		String key = newKey();
		this.gate.close();
		CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture
			.supplyAsync(() -> this.http.post("/async/gated", key, ORDER));
		this.gate.awaitEntered();
		HttpResponse<byte[]> duplicate = this.http.post("/async/gated", key, ORDER);
		this.gate.open();

		assertThat(duplicate.statusCode()).isEqualTo(409);
		assertThat(duplicate.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(first.get().statusCode()).isEqualTo(201);
		HttpResponse<byte[]> replay = this.http.post("/async/gated", key, ORDER);
		assertThat(replay.body()).isEqualTo(first.get().body());
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(this.executions.count("async-gated")).isEqualTo(1);
	}

	@Test
	void manyRequestsWithOneKeyAtOnceRunTheHandlerOnce() throws Exception {
		String key = newKey();
		List<Callable<HttpResponse<byte[]>>> requests = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			requests.add(() -> this.http.post("/async/future", key, ORDER));
		}
		List<HttpResponse<byte[]>> responses = Burst.send(requests);

		assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(201, 409).contains(201);
		assertThat(this.executions.count("async-future")).isEqualTo(1);
		assertThat(responses).filteredOn((response) -> response.statusCode() == 201)
			.extracting(HttpResponse::body)
			.allSatisfy((bytes) -> assertThat(bytes).isEqualTo(responses.stream()
				.filter((response) -> response.statusCode() == 201)
				.findFirst()
				.orElseThrow()
				.body()));
	}

	@Test
	void aFailedAsynchronousResultGivesTheKeyBackSoTheRetryRuns() {
		String key = newKey();
		HttpResponse<byte[]> first = this.http.post("/async/fails", key, "{}");
		HttpResponse<byte[]> retry = this.http.post("/async/fails", key, "{}");

		assertThat(first.statusCode()).isEqualTo(500);
		assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(retry.statusCode()).isEqualTo(500);
		assertThat(this.executions.count("async-fails")).isEqualTo(2);
	}

	/**
	 * Tomcat ends an asynchronous request before it renders the error page of an error
	 * sent on its last dispatch, so such a response is never seen whole: the key is given
	 * back (as without an error page) and the retry runs.
	 */
	@Test
	void anErrorAnAsynchronousHandlerSendsToTheErrorPageGivesTheKeyBack() {
		String key = newKey();
		HttpResponse<byte[]> first = this.http.post("/async/not-found", key, "{}");
		HttpResponse<byte[]> retry = this.http.post("/async/not-found", key, "{}");

		assertThat(first.statusCode()).isEqualTo(404);
		assertThat(retry.statusCode()).isEqualTo(404);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(this.executions.count("async-not-found")).isEqualTo(2);
	}

	@Test
	void aHandlerPastTheAsynchronousTimeoutKeepsItsKeyUntilItsLockTimeout(CapturedOutput output) {
		String key = newKey();
		HttpResponse<byte[]> first = this.http.post("/async/never", key, "{}");
		HttpResponse<byte[]> retry = this.http.post("/async/never", key, "{}");

		assertThat(first.statusCode()).isEqualTo(503);
		assertThat(retry.statusCode()).isEqualTo(409);
		assertThat(this.executions.count("async-never")).isEqualTo(1);
		assertThat(output).contains("did not finish within Spring MVC's asynchronous timeout");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.http.post("/async/never", key, "{}").statusCode()).isEqualTo(503));
		assertThat(this.executions.count("async-never")).isEqualTo(2);
	}

	private static String newKey() {
		return UUID.randomUUID().toString();
	}

}
