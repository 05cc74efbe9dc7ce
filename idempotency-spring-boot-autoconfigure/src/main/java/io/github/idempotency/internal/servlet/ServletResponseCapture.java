package io.github.idempotency.internal.servlet;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.http.ResponseRecords;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Turns the buffered response of a handler into a {@link StoredResponse}, by the rules of
 * {@link ResponseRecords}.
 */
final class ServletResponseCapture {

	private ServletResponseCapture() {
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
		return ResponseRecords.toStoredResponse(capture.getStatus(), capture.getContentType(),
				(each) -> capture.getHeaderNames().forEach((name) -> each.accept(name, capture.getHeaders(name))),
				before, capture.getContentAsByteArray());
	}

}
