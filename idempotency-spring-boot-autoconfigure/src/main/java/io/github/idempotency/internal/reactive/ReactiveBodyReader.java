package io.github.idempotency.internal.reactive;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Reads the body of a reactive request to an {@code @Idempotent} handler ahead of its
 * decoding, without blocking, so that it can be fingerprinted before anything is claimed.
 * At most {@code idempotency.max-body-size} bytes are buffered: a larger body (declared
 * by its {@code Content-Length}, or found while reading) ends in
 * {@link BodyTooLargeException}, and every buffer read so far is released.
 */
final class ReactiveBodyReader {

	private static final byte[] EMPTY = new byte[0];

	private final int maxBodyBytes;

	ReactiveBodyReader(long maxBodyBytes) {
		this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE - 16, maxBodyBytes);
	}

	/**
	 * Reads the whole body.
	 * @param request the request
	 * @return the body, empty when there is none; {@link BodyTooLargeException} when it
	 * is larger than {@code max-body-size}
	 */
	Mono<byte[]> read(ServerHttpRequest request) {
		if (request.getHeaders().getContentLength() > this.maxBodyBytes) {
			return Mono.error(new BodyTooLargeException());
		}
		return DataBufferUtils.join(request.getBody(), this.maxBodyBytes)
			.onErrorMap(DataBufferLimitException.class, (ex) -> new BodyTooLargeException())
			.map(ReactiveBodyReader::bytesOf)
			.defaultIfEmpty(EMPTY);
	}

	private static byte[] bytesOf(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/**
	 * The body is larger than {@code idempotency.max-body-size}: the request is answered
	 * 413.
	 */
	static final class BodyTooLargeException extends RuntimeException {

		BodyTooLargeException() {
			super("The request body is larger than idempotency.max-body-size", null, false, false);
		}

	}

}
