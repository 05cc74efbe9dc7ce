package io.github.idempotency.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.github.idempotency.StoredResponse;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Turns the buffered response of a handler into a {@link StoredResponse}: its status, the
 * headers the handler added (not those that filters set before it, nor {@code Date}, length
 * and hop-by-hop headers), and the exact body bytes.
 */
final class CapturedResponse {

	private static final Set<String> NOT_STORED = Set.of("date", "content-length", "content-type", "connection",
			"keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
			"transfer-encoding", "upgrade", ResponseWriter.REPLAYED_HEADER.toLowerCase(Locale.ROOT));

	private CapturedResponse() {
	}

	/** The response's headers now, by case-insensitive name. */
	static Map<String, List<String>> headers(HttpServletResponse response) {
		Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		for (String name : response.getHeaderNames()) {
			headers.putIfAbsent(name, List.copyOf(response.getHeaders(name)));
		}
		return headers;
	}

	static StoredResponse toStoredResponse(ContentCachingResponseWrapper capture, Map<String, List<String>> before) {
		List<Map.Entry<String, String>> stored = new ArrayList<>();
		String contentType = capture.getContentType();
		if (contentType != null) {
			stored.add(Map.entry("Content-Type", contentType));
		}
		Set<String> done = new java.util.HashSet<>();
		for (String name : capture.getHeaderNames()) {
			String lowerCaseName = name.toLowerCase(Locale.ROOT);
			if (NOT_STORED.contains(lowerCaseName) || !done.add(lowerCaseName)) {
				continue;
			}
			List<String> values = List.copyOf(capture.getHeaders(name));
			if (!values.equals(before.get(name))) {
				values.forEach((value) -> stored.add(Map.entry(name, value)));
			}
		}
		return new StoredResponse(capture.getStatus(), stored, capture.getContentAsByteArray());
	}

}
