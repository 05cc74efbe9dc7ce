package io.github.idempotency.testapp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Real HTTP requests against an application listening on a local port.
 */
public final class TestHttp {

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	private final int port;

	public TestHttp(int port) {
		this.port = port;
	}

	/**
	 * Sends a JSON {@code POST} with an idempotency key ({@code null} for none).
	 * @param path the path
	 * @param key the raw header value, or {@code null}
	 * @param json the body
	 * @return the response
	 */
	public HttpResponse<byte[]> post(String path, String key, String json) {
		return post(path, json, (key != null) ? Map.of("Idempotency-Key", key) : Map.of());
	}

	/**
	 * Sends a JSON {@code POST} with the given headers.
	 * @param path the path
	 * @param json the body
	 * @param headers extra headers
	 * @return the response
	 */
	public HttpResponse<byte[]> post(String path, String json, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		headers.forEach(request::header);
		return send(request.build());
	}

	/**
	 * Sends a request built by the caller against this application.
	 * @param request the request
	 * @return the response
	 */
	public HttpResponse<byte[]> send(HttpRequest request) {
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Request to " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	public static String body(HttpResponse<byte[]> response) {
		return new String(response.body(), StandardCharsets.UTF_8);
	}

}
