package io.github.idempotency.internal.reactive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.http.ProblemDocument;
import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Problems and replays written on a reactive response.
 */
class ReactiveResponseWriterTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	@Test
	void problemIsTheSameDocumentWithItsHeaders() {
		MockServerHttpResponse response = new MockServerHttpResponse();
		String detail = IdempotencyProblem.REQUEST_IN_PROGRESS.detail("Idempotency-Key");
		ReactiveResponseWriter.writeProblem(response, IdempotencyProblem.REQUEST_IN_PROGRESS, detail, "/payments", 1)
			.block(WAIT);
		assertThat(response.getStatusCode().value()).isEqualTo(409);
		assertThat(response.getHeaders().getFirst("Content-Type")).isEqualTo("application/problem+json");
		assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(response.getHeaders().getFirst("Cache-Control")).isEqualTo("no-store");
		byte[] expected = ProblemDocument.render(IdempotencyProblem.REQUEST_IN_PROGRESS, detail, "/payments");
		assertThat(response.getBodyAsString().block(WAIT)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
		assertThat(response.getHeaders().getContentLength()).isEqualTo(expected.length);
	}

	@Test
	void problemWithoutRetryAfterHasNone() {
		MockServerHttpResponse response = new MockServerHttpResponse();
		ReactiveResponseWriter.writeProblem(response, IdempotencyProblem.KEY_REUSED, "reused", "/payments", 0)
			.block(WAIT);
		assertThat(response.getStatusCode().value()).isEqualTo(422);
		assertThat(response.getHeaders().getFirst("Retry-After")).isNull();
	}

	@Test
	void replayHasTheStoredStatusHeadersAndBytes() {
		MockServerHttpResponse response = new MockServerHttpResponse();
		response.getHeaders().set("X-Multi", "set by a filter");
		StoredResponse stored = new StoredResponse(201,
				List.of(Map.entry("Content-Type", "application/json"), Map.entry("Location", "/payments/7"),
						Map.entry("X-Multi", "one"), Map.entry("X-Multi", "two")),
				"{\"id\":7}".getBytes(StandardCharsets.UTF_8));
		ReactiveResponseWriter.writeReplay(response, stored).block(WAIT);
		assertThat(response.getStatusCode().value()).isEqualTo(201);
		assertThat(response.getHeaders().getFirst("Content-Type")).isEqualTo("application/json");
		assertThat(response.getHeaders().getFirst("Location")).isEqualTo("/payments/7");
		assertThat(response.getHeaders().get("X-Multi")).containsExactly("one", "two");
		assertThat(response.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(response.getHeaders().getContentLength()).isEqualTo(8);
		assertThat(response.getBodyAsString().block(WAIT)).isEqualTo("{\"id\":7}");
	}

	@Test
	void replayWithoutBodyCompletesTheResponse() {
		MockServerHttpResponse response = new MockServerHttpResponse();
		ReactiveResponseWriter.writeReplay(response, new StoredResponse(204, List.of(), new byte[0])).block(WAIT);
		assertThat(response.getStatusCode().value()).isEqualTo(204);
		assertThat(response.isCommitted()).isTrue();
		assertThat(response.getHeaders().getContentLength()).isZero();
	}

}
