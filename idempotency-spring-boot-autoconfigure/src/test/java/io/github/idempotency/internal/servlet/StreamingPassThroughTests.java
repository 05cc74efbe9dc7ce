package io.github.idempotency.internal.servlet;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import io.github.idempotency.testapp.StreamSignal;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only requests mapped to an {@code @Idempotent} handler are buffered: a stream sent with
 * the key header still arrives part by part. Each endpoint waits until the client has
 * received its first part before it sends the rest, and reports whether that happened.
 */
class StreamingPassThroughTests extends RunningInMemoryApp {

	private static final int DOWNLOAD_SIZE = 32 * 1024 * 1024;

	private static final int FIRST_CHUNK = 64 * 1024;

	/**
	 * What the client waits for before it signals: a part of the first chunk, since the
	 * container may hold back its last buffer until more is written (Spring Framework 7
	 * ignores flushes of a StreamingResponseBody unless
	 * spring.http.response.flush.enabled is set).
	 */
	private static final int FIRST_READ = 16 * 1024;

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Autowired
	StreamSignal signal;

	@Test
	void serverSentEventsWithTheKeyHeaderArriveOneByOne() throws Exception {
		HttpResponse<Stream<String>> response = this.client.send(get("/streams/events"),
				HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		List<String> data = new ArrayList<>();
		Iterator<String> lines = response.body().iterator();
		while (lines.hasNext()) {
			String line = lines.next();
			if (line.startsWith("data:")) {
				data.add(line.substring("data:".length()));
				if (data.size() == 1) {
					this.signal.firstPartReceived();
				}
			}
		}
		assertThat(data).containsExactly("first", "client saw first: true");
	}

	@Test
	void largeDownloadWithTheKeyHeaderStreams() throws Exception {
		HttpResponse<InputStream> response = this.client.send(get("/streams/download"),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Idempotent-Replayed")).isEmpty();
		try (InputStream body = response.body()) {
			assertThat(body.readNBytes(FIRST_READ)).hasSize(FIRST_READ);
			this.signal.firstPartReceived();
			assertThat(body.readNBytes(FIRST_CHUNK - FIRST_READ)).hasSize(FIRST_CHUNK - FIRST_READ);
			byte[] marker = body.readNBytes(1);
			long rest = body.transferTo(OutputStreamDiscarding.INSTANCE);
			assertThat(marker).as("client saw the first chunk before the server wrote the rest").containsExactly(1);
			assertThat(FIRST_CHUNK + 1 + rest).isEqualTo(DOWNLOAD_SIZE);
		}
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + path))
			.header("Idempotency-Key", UUID.randomUUID().toString())
			.timeout(Duration.ofSeconds(60))
			.GET()
			.build();
	}

	private static final class OutputStreamDiscarding extends java.io.OutputStream {

		static final OutputStreamDiscarding INSTANCE = new OutputStreamDiscarding();

		@Override
		public void write(int b) {
		}

		@Override
		public void write(byte[] b, int off, int len) {
		}

	}

}
