package io.github.idempotency.web;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.core.ProblemDocument;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes the responses the starter produces itself: RFC 9457 problems and replays.
 */
final class ResponseWriter {

	/** Header that marks a replayed response. */
	static final String REPLAYED_HEADER = "Idempotent-Replayed";

	private ResponseWriter() {
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
		Set<String> seen = new HashSet<>();
		String contentType = null;
		for (Map.Entry<String, String> header : stored.headers()) {
			String name = header.getKey();
			if (name.equalsIgnoreCase("Content-Type")) {
				contentType = header.getValue();
			}
			else if (seen.add(name.toLowerCase(java.util.Locale.ROOT))) {
				response.setHeader(name, header.getValue());
			}
			else {
				response.addHeader(name, header.getValue());
			}
		}
		response.setHeader(REPLAYED_HEADER, "true");
		write(response, contentType, stored.body());
	}

	private static void write(HttpServletResponse response, String contentType, byte[] body) throws IOException {
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
