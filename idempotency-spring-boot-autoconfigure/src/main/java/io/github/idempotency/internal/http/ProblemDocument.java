package io.github.idempotency.internal.http;

import java.nio.charset.StandardCharsets;

import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.internal.fingerprint.CanonicalJson;

/**
 * The body of a problem (RFC 9457, {@code application/problem+json}) the starter answers
 * with, the same through every door: {@code type}, {@code title}, {@code status},
 * {@code detail} and {@code instance}, in that order.
 */
public final class ProblemDocument {

	/** The media type of problems. */
	public static final String MEDIA_TYPE = "application/problem+json";

	private ProblemDocument() {
	}

	/**
	 * Renders a problem.
	 * @param problem the problem
	 * @param detail what the client should do, with its placeholders filled
	 * @param instance the request path
	 * @return the JSON document, UTF-8
	 */
	public static byte[] render(IdempotencyProblem problem, String detail, String instance) {
		StringBuilder json = new StringBuilder(384).append("{\"type\":");
		CanonicalJson.quote(json, problem.type()).append(",\"title\":");
		CanonicalJson.quote(json, problem.title())
			.append(",\"status\":")
			.append(problem.status())
			.append(",\"detail\":");
		CanonicalJson.quote(json, detail).append(",\"instance\":");
		CanonicalJson.quote(json, instance).append('}');
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

}
