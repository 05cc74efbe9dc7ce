package io.github.idempotency.internal.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.idempotency.testapp.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input of every kind (R1, R18): a clear 4xx, never a 500 or a stack trace, and the
 * method does not run.
 */
class HostileInputTests {

	private static RunningApp app;

	@BeforeAll
	static void start() {
		app = RunningApp.start("idempotency.store=in-memory", "idempotency.max-body-size=1KB");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void oversizedBodyIs413AndDoesNotRun() {
		app.executions().reset();
		String big = "{\"item\":\"" + "x".repeat(2048) + "\"}";
		HttpResponse<byte[]> response = app.http().post("/orders", UUID.randomUUID().toString(), big);
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(body(response)).contains("https://idempotency.github.io/problems/body-too-large").contains("1024");
		assertThat(app.executions().count("orders")).isZero();
	}

	@Test
	void oversizedBodyClaimsNothingSoASmallerRetryWithTheKeyRuns() {
		app.executions().reset();
		String key = UUID.randomUUID().toString();
		String big = "{\"item\":\"" + "x".repeat(2048) + "\"}";
		assertThat(app.http().post("/orders", key, big).statusCode()).isEqualTo(413);
		assertThat(app.http().post("/orders", key, "{\"item\":\"book\"}").statusCode()).isEqualTo(201);
		assertThat(app.executions().count("orders")).isEqualTo(1);
	}

	@Test
	void malformedJsonIs400AndTheKeyStaysFreeForACorrectedRetry() {
		app.executions().reset();
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> malformed = app.http().post("/orders", key, "{\"item\": ");
		assertThat(malformed.statusCode()).isEqualTo(400);
		assertNoStackTrace(malformed);
		assertThat(app.http().post("/orders", key, "{\"item\":\"book\"}").statusCode()).isEqualTo(201);
		assertThat(app.executions().count("orders")).isEqualTo(1);
	}

	@Test
	void wrongContentTypeIsRejectedWithout500() {
		app.executions().reset();
		HttpResponse<byte[]> response = app.http()
			.send(HttpRequest.newBuilder(app.http().uri("/orders"))
				.header("Content-Type", "text/plain")
				.header("Idempotency-Key", UUID.randomUUID().toString())
				.POST(HttpRequest.BodyPublishers.ofString("item=book"))
				.build());
		assertThat(response.statusCode()).isEqualTo(415);
		assertNoStackTrace(response);
		assertThat(app.executions().count("orders")).isZero();
	}

	@Test
	void nonAsciiKeyIs400() throws IOException {
		String response = raw("caf\u00c3\u00a9");
		assertThat(response).startsWith("HTTP/1.1 400").contains("https://idempotency.github.io/problems/invalid-key");
	}

	@Test
	void controlCharacterInTheKeyIsRejectedWithout500() throws IOException {
		String response = raw("a\u0001b");
		assertThat(response).startsWith("HTTP/1.1 400").doesNotContain("Exception");
	}

	@Test
	void oversizedKeyHeaderIsRejectedWithout500() throws IOException {
		assertThat(raw("k".repeat(20_000))).startsWith("HTTP/1.1 400").doesNotContain("Exception");
		assertThat(raw("k".repeat(300))).startsWith("HTTP/1.1 400").contains("invalid-key");
	}

	@Test
	void floodOfDistinctKeysIsBoundedAndAnswered503NotAnOutOfMemoryError() {
		try (RunningApp small = RunningApp.start("idempotency.store=in-memory",
				"idempotency.in-memory.max-entries=20")) {
			List<Integer> statuses = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				statuses.add(small.http().post("/orders", UUID.randomUUID().toString(), "{}").statusCode());
			}
			assertThat(statuses.subList(0, 20)).containsOnly(201);
			assertThat(statuses.subList(20, 30)).containsOnly(503);
			assertThat(small.executions().count("orders")).isEqualTo(20);
		}
	}

	@Test
	void keyHeaderSentTwiceIs400() throws IOException {
		String response = rawRequest("Idempotency-Key: a\r\nIdempotency-Key: b\r\n");
		assertThat(response).startsWith("HTTP/1.1 400").contains("invalid-key");
	}

	private static void assertNoStackTrace(HttpResponse<byte[]> response) {
		assertThat(body(response)).doesNotContain("Exception").doesNotContain("\tat ");
	}

	private static String raw(String keyLatin1) throws IOException {
		return rawRequest("Idempotency-Key: " + keyLatin1 + "\r\n");
	}

	private static String rawRequest(String extraHeaders) throws IOException {
		String json = "{\"item\":\"book\"}";
		String request = "POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + json.length() + "\r\nConnection: close\r\n" + extraHeaders + "\r\n" + json;
		try (Socket socket = new Socket("127.0.0.1", app.port())) {
			socket.setSoTimeout(30_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

}
