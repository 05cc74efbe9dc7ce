package io.github.idempotency.internal.http;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.github.idempotency.internal.fingerprint.CanonicalJson;
import io.github.idempotency.internal.fingerprint.Sha256;
import org.jspecify.annotations.Nullable;

/**
 * Computes the fingerprint of a request: SHA-256 over the method, the path, the request
 * parameters (query and form fields, sorted by name) and the body. A JSON body counts in
 * its RFC 8785 canonical form ({@link CanonicalJson}), so {@code {"a":1,"b":2.50}} and
 * {@code { "b": 2.5, "a": 1 }} are the same request; any other body (or JSON that does
 * not parse) counts byte for byte. The fingerprint depends on no JSON library and no web
 * stack, so every instance of a mixed fleet computes the same value for the same request.
 */
public final class RequestFingerprinter {

	/**
	 * Computes a request's fingerprint.
	 * @param method the HTTP method
	 * @param path the request path as sent, undecoded
	 * @param parameters the query and form parameters, each with its values in order
	 * @param contentType the request's content type, or {@code null}
	 * @param body the body as the handler receives it, empty when there is none
	 * @return the fingerprint, 64 hex digits
	 */
	public String fingerprint(String method, String path, Map<String, String[]> parameters,
			@Nullable String contentType, byte[] body) {
		Sha256 sha = Sha256.create().field(method).field(path);
		Map<String, String[]> sorted = new TreeMap<>(parameters);
		sha.field(Integer.toString(sorted.size()));
		sorted.forEach((name, values) -> {
			sha.field(name).field(Integer.toString(values.length));
			for (String value : values) {
				sha.field(value);
			}
		});
		byte[] canonical = isJson(contentType) && body.length > 0 ? CanonicalJson.canonicalize(body) : null;
		if (canonical != null) {
			sha.field("json").field(canonical);
		}
		else {
			sha.field("raw").field(body);
		}
		return sha.hex();
	}

	private static boolean isJson(@Nullable String contentType) {
		return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json");
	}

}
