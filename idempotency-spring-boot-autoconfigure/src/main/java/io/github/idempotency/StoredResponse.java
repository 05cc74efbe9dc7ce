package io.github.idempotency;

import java.util.List;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * A finished HTTP response as it is stored and replayed: status, the headers the handler
 * produced, and the exact body bytes. The body array is not copied; treat it as
 * read-only.
 *
 * @param status the HTTP status code
 * @param headers header names and values in the order they were produced
 * @param body the body bytes, possibly empty
 */
public record StoredResponse(int status, List<Map.Entry<String, String>> headers, byte[] body) {

	/**
	 * Creates a stored response.
	 * @param status the HTTP status code
	 * @param headers header names and values
	 * @param body the body bytes
	 */
	public StoredResponse {
		Assert.isTrue(status >= 100 && status <= 999, "status must be a three-digit HTTP status");
		Assert.notNull(headers, "headers must not be null");
		Assert.notNull(body, "body must not be null");
		headers = List.copyOf(headers);
	}

}
