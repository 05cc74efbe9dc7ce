package io.github.idempotency.internal.servlet;

import java.io.IOException;

import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.http.ProblemDocument;
import io.github.idempotency.internal.http.ResponseRecords;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Writes the responses the starter produces itself: RFC 9457 problems and replays.
 */
final class ServletResponseWriter {

	private ServletResponseWriter() {
	}

	static void writeProblem(HttpServletResponse response, IdempotencyProblem problem, String detail, String instance,
			long retryAfterSeconds) throws IOException {
		byte[] body = ProblemDocument.render(problem, detail, instance);
		response.setStatus(problem.status());
		if (retryAfterSeconds > 0) {
			response.setHeader("Retry-After", Long.toString(retryAfterSeconds));
		}
		response.setHeader("Cache-Control", "no-store");
		write(response, ProblemDocument.MEDIA_TYPE, body);
	}

	static void writeReplay(HttpServletResponse response, StoredResponse stored) throws IOException {
		response.setStatus(stored.status());
		String contentType = ResponseRecords.replayHeaders(stored, response::setHeader, response::addHeader);
		write(response, contentType, stored.body());
	}

	private static void write(HttpServletResponse response, @Nullable String contentType, byte[] body)
			throws IOException {
		if (contentType != null) {
			response.setContentType(contentType);
		}
		response.setContentLength(body.length);
		if (body.length > 0) {
			response.getOutputStream().write(body);
		}
		response.flushBuffer();
	}

}
