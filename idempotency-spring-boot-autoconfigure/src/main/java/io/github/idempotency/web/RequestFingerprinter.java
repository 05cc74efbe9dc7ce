package io.github.idempotency.web;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.idempotency.core.CanonicalJson;
import io.github.idempotency.core.Sha256;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Computes the fingerprint of a request: SHA-256 over the method, the path, the request
 * parameters (query and form fields, sorted by name) and the body. A JSON body counts in its
 * RFC 8785 canonical form ({@link CanonicalJson}), so {@code {"a":1,"b":2.50}} and
 * {@code { "b": 2.5, "a": 1 }} are the same request; any other body (or JSON that does not
 * parse) counts byte for byte. The fingerprint depends on no JSON library, so every instance of
 * a mixed fleet computes the same value for the same request.
 */
final class RequestFingerprinter {

	String fingerprint(HttpServletRequest request, byte[] body) {
		Sha256 sha = Sha256.create().field(request.getMethod()).field(request.getRequestURI());
		Map<String, String[]> parameters = new TreeMap<>(request.getParameterMap());
		sha.field(Integer.toString(parameters.size()));
		parameters.forEach((name, values) -> {
			sha.field(name).field(Integer.toString(values.length));
			for (String value : values) {
				sha.field(value);
			}
		});
		byte[] canonical = isJson(request.getContentType()) && body.length > 0 ? CanonicalJson.canonicalize(body)
				: null;
		if (canonical != null) {
			sha.field("json").field(canonical);
		}
		else {
			sha.field("raw").field(body);
		}
		return sha.hex();
	}

	private static boolean isJson(String contentType) {
		return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
	}

}
