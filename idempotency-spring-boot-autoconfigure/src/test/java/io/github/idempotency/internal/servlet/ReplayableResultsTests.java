package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Results that are not a body object — primitives, redirects, view names,
 * {@code ModelAndView} — are stored as the bytes and headers the client received and
 * replayed as such; the starter's own answers (400, 409, 422, replays) never render a
 * view or fail on a primitive.
 */
class ReplayableResultsTests extends RunningInMemoryApp {

	@Test
	void primitiveReturnIsReplayed() {
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> first = this.http.post("/results/primitive", key, "");
		HttpResponse<byte[]> replay = this.http.post("/results/primitive", key, "");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(body(first)).isEqualTo("1001");
		assertReplayOf(first, replay);
		assertThat(this.executions.count("primitive")).isEqualTo(1);
	}

	@Test
	void primitiveReturnGetsTheStartersOwnAnswers() {
		HttpResponse<byte[]> missing = this.http.post("/results/flag", null, "");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(body(missing)).contains("missing-key");
		String key = UUID.randomUUID().toString();
		this.http.post("/results/primitive", key, "");
		HttpResponse<byte[]> mismatch = this.http.post("/results/flag", key, "");
		assertThat(mismatch.statusCode()).isEqualTo(422);
		assertThat(body(mismatch)).contains("key-reused");
		assertThat(this.executions.count("flag")).isZero();
	}

	@Test
	void redirectIsStoredAsA302WithItsLocationAndReplayed() {
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> first = this.http.post("/results/redirect", key, "");
		HttpResponse<byte[]> replay = this.http.post("/results/redirect", key, "");
		assertThat(first.statusCode()).isEqualTo(302);
		assertThat(first.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/orders?created=1"));
		assertThat(replay.statusCode()).isEqualTo(302);
		assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(this.executions.count("redirect")).isEqualTo(1);
	}

	@Test
	void forwardToAnotherIdempotentHandlerRunsUnderTheFirstClaim() {
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> first = this.http.post("/results/forward", key, "");
		HttpResponse<byte[]> replay = this.http.post("/results/forward", key, "");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(body(first)).isEqualTo("1001");
		assertReplayOf(first, replay);
		assertThat(this.executions.count("forward")).isEqualTo(1);
		assertThat(this.executions.count("primitive")).isEqualTo(1);
	}

	@Test
	void viewNameIsReplayedAsTheRenderedView() {
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> first = this.http.post("/results/view", key, "");
		HttpResponse<byte[]> replay = this.http.post("/results/view", key, "");
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(body(first)).isEqualTo("receipt view #1");
		assertThat(first.headers().firstValue("X-View")).hasValue("receipt");
		assertReplayOf(first, replay);
		assertThat(replay.headers().firstValue("X-View")).hasValue("receipt");
		assertThat(this.executions.count("view")).isEqualTo(1);
	}

	@Test
	void modelAndViewIsReplayedAsTheRenderedView() {
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> first = this.http.post("/results/model-and-view", key, "");
		HttpResponse<byte[]> replay = this.http.post("/results/model-and-view", key, "");
		assertThat(body(first)).isEqualTo("receipt view #1");
		assertReplayOf(first, replay);
		assertThat(this.executions.count("model-and-view")).isEqualTo(1);
	}

	@Test
	void viewEndpointsGetTheStartersOwnAnswersWithoutRenderingAView() {
		HttpResponse<byte[]> missing = this.http.post("/results/view", null, "");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(missing.headers().firstValue("X-View")).isEmpty();
		String key = UUID.randomUUID().toString();
		this.http.post("/results/redirect", key, "");
		HttpResponse<byte[]> mismatch = this.http.post("/results/model-and-view", key, "");
		assertThat(mismatch.statusCode()).isEqualTo(422);
		assertThat(body(mismatch)).contains("key-reused");
		assertThat(this.executions.count("view")).isZero();
		assertThat(this.executions.count("model-and-view")).isZero();
	}

	private static void assertReplayOf(HttpResponse<byte[]> first, HttpResponse<byte[]> replay) {
		assertThat(replay.statusCode()).isEqualTo(first.statusCode());
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.headers().firstValue("Content-Type")).isEqualTo(first.headers().firstValue("Content-Type"));
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
	}

}
