package io.github.idempotency.testapp;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Endpoints that are not idempotent and stream: each sends a first part, waits until the
 * client has received it (or gives up after 20 s), then sends the rest and says whether
 * the client had seen the first part in time.
 */
@RestController
class StreamsController {

	/** Size of the download in bytes (32 MiB). */
	static final int DOWNLOAD_SIZE = 32 * 1024 * 1024;

	private final StreamSignal signal;

	StreamsController(StreamSignal signal) {
		this.signal = signal;
	}

	@GetMapping("/streams/events")
	SseEmitter events() {
		SseEmitter emitter = new SseEmitter(60_000L);
		CountDownLatch received = this.signal.reset();
		Thread sender = new Thread(() -> {
			try {
				emitter.send(SseEmitter.event().name("first").data("first"));
				boolean inTime = received.await(20, TimeUnit.SECONDS);
				emitter.send(SseEmitter.event().name("second").data("client saw first: " + inTime));
				emitter.complete();
			}
			catch (IOException | InterruptedException ex) {
				emitter.completeWithError(ex);
			}
		}, "test-events");
		sender.start();
		return emitter;
	}

	@GetMapping("/streams/download")
	ResponseEntity<StreamingResponseBody> download() {
		CountDownLatch received = this.signal.reset();
		StreamingResponseBody body = (out) -> {
			byte[] chunk = new byte[64 * 1024];
			out.write(chunk);
			out.flush();
			boolean inTime;
			try {
				inTime = received.await(20, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
			chunk[0] = (byte) (inTime ? 1 : 2);
			for (int written = chunk.length; written < DOWNLOAD_SIZE; written += chunk.length) {
				out.write(chunk);
			}
		};
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(body);
	}

}
