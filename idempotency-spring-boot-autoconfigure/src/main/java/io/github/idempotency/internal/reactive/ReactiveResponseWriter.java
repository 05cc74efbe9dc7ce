package io.github.idempotency.internal.reactive;

import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.http.ProblemDocument;
import io.github.idempotency.internal.http.ResponseRecords;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * Writes the responses the starter produces itself on a reactive response: RFC 9457
 * problems and replays, byte for byte what the Spring MVC door sends for the same answer.
 */
final class ReactiveResponseWriter {

	private ReactiveResponseWriter() {
	}

	static Mono<Void> writeProblem(ServerHttpResponse response, IdempotencyProblem problem, String detail,
			String instance, long retryAfterSeconds) {
		response.setStatusCode(HttpStatusCode.valueOf(problem.status()));
		HttpHeaders headers = response.getHeaders();
		if (retryAfterSeconds > 0) {
			headers.set("Retry-After", Long.toString(retryAfterSeconds));
		}
		headers.set("Cache-Control", "no-store");
		return write(response, ProblemDocument.MEDIA_TYPE, ProblemDocument.render(problem, detail, instance));
	}

	static Mono<Void> writeReplay(ServerHttpResponse response, StoredResponse stored) {
		response.setStatusCode(HttpStatusCode.valueOf(stored.status()));
		HttpHeaders headers = response.getHeaders();
		String contentType = ResponseRecords.replayHeaders(stored, headers::set, headers::add);
		return write(response, contentType, stored.body());
	}

	private static Mono<Void> write(ServerHttpResponse response, @Nullable String contentType, byte[] body) {
		HttpHeaders headers = response.getHeaders();
		if (contentType != null) {
			headers.set(HttpHeaders.CONTENT_TYPE, contentType);
		}
		headers.setContentLength(body.length);
		if (body.length == 0) {
			return response.setComplete();
		}
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

}
