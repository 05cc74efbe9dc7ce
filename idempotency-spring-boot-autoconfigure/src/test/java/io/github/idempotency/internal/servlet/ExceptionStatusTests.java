package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.util.UUID;

import io.github.idempotency.testapp.RequestCounts;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A response is a response however it was produced: a status that Spring MVC resolved
 * from an exception is stored or released by the same rule as a returned one, and every
 * request is counted once.
 */
class ExceptionStatusTests extends RunningInMemoryApp {

	@Autowired
	MeterRegistry meterRegistry;

	@Test
	void statusFromAnExceptionHandlerIsStoredAndReplayed() {
		HttpResponse<byte[]> first = assertStoredAndReplayed("/errors/exception-handler", "exception-handler", 404);
		assertThat(body(first)).isEqualTo("missing 1");
		assertThat(first.headers().firstValue("X-Handled")).hasValue("yes");
	}

	@Test
	void statusFromResponseStatusOnTheExceptionIsStoredAndReplayed() {
		HttpResponse<byte[]> first = assertStoredAndReplayed("/errors/response-status", "response-status", 404);
		assertThat(body(first)).contains("\"status\":404");
	}

	@Test
	void statusFromAnErrorResponseExceptionIsStoredAndReplayed() {
		assertStoredAndReplayed("/errors/error-response", "error-response", 422);
	}

	@Test
	void unstoredStatusFromAnExceptionHandlerReleasesTheKeyLikeAReturnedOne() {
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> first = this.http.post("/errors/problem-conflict", key, "{}");
		HttpResponse<byte[]> retry = this.http.post("/errors/problem-conflict", key, "{}");
		assertThat(first.statusCode()).isEqualTo(409);
		assertThat(body(first)).contains("conflict 1");
		assertThat(retry.statusCode()).isEqualTo(409);
		assertThat(body(retry)).contains("conflict 2");
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(this.executions.count("problem-conflict")).isEqualTo(2);
	}

	@Test
	void exceptionThatEscapesToTheContainerReleasesTheKeyAndIsCounted() {
		double executed = count("executed");
		String key = UUID.randomUUID().toString();
		assertThat(this.http.post("/fails-once", key, "{}").statusCode()).isEqualTo(500);
		assertThat(count("executed") - executed).isEqualTo(1);
		assertThat(body(this.http.post("/fails-once", key, "{}"))).isEqualTo("attempt 2");
	}

	@Test
	void requestsThatNeverReachTheMethodOrCarryNoKeyAreCountedToo() {
		double notRun = count("not_run");
		double unkeyed = count("unkeyed");
		assertThat(this.http.post("/orders", UUID.randomUUID().toString(), "{not json").statusCode()).isEqualTo(400);
		assertThat(this.http.post("/optional", null, "{}").statusCode()).isEqualTo(200);
		assertThat(count("not_run") - notRun).isEqualTo(1);
		assertThat(count("unkeyed") - unkeyed).isEqualTo(1);
		assertThat(this.executions.count("orders")).isZero();
	}

	private HttpResponse<byte[]> assertStoredAndReplayed(String path, String endpoint, int status) {
		double executed = count("executed");
		double replayed = count("replayed");
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> first = this.http.post(path, key, "{}");
		HttpResponse<byte[]> replay = this.http.post(path, key, "{}");
		assertThat(first.statusCode()).isEqualTo(status);
		assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(replay.statusCode()).isEqualTo(status);
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(this.executions.count(endpoint)).isEqualTo(1);
		assertThat(count("executed") - executed).isEqualTo(1);
		assertThat(count("replayed") - replayed).isEqualTo(1);
		return first;
	}

	private double count(String outcome) {
		return RequestCounts.of(this.meterRegistry, outcome);
	}

}
