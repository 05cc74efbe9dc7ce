package io.github.idempotency.webflux;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * A reactive response that keeps a copy of what it sends — status, headers and body bytes — so
 * that it can be stored once it is complete. The bytes pass through unchanged and as they come
 * (a {@code Mono} body stays a {@code Mono}); the copy reads them without moving their read
 * position. A body larger than {@code max-body-size}, or a streamed one ({@code text/event-stream},
 * {@code application/x-ndjson}, written with {@link #writeAndFlushWith}), is sent but cannot be
 * stored.
 */
final class CapturingResponse extends ServerHttpResponseDecorator {

	private final int maxBodyBytes;

	private byte[] body = new byte[256];

	private int size;

	private boolean storable = true;

	CapturingResponse(ServerHttpResponse response, long maxBodyBytes) {
		super(response);
		this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE - 16, maxBodyBytes);
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		if (body instanceof Mono<? extends DataBuffer> single) {
			return super.writeWith(single.doOnNext(this::copy));
		}
		return super.writeWith(Flux.from(body).doOnNext(this::copy));
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		this.storable = false;
		return super.writeAndFlushWith(body);
	}

	private void copy(DataBuffer buffer) {
		int length = buffer.readableByteCount();
		if (!this.storable || length > this.maxBodyBytes - this.size) {
			this.storable = false;
			return;
		}
		if (this.size + length > this.body.length) {
			this.body = Arrays.copyOf(this.body, Math.max(this.size + length, Math.min(this.maxBodyBytes,
					this.body.length * 2)));
		}
		buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(this.body), this.size, length);
		this.size += length;
	}

	/**
	 * What was sent so far.
	 * @return the status (200 when none was set), the headers and the body; {@code null} when
	 * the response cannot be stored
	 */
	Captured captured() {
		if (!this.storable) {
			return null;
		}
		HttpStatusCode status = getStatusCode();
		Map<String, List<String>> headers = new LinkedHashMap<>();
		getHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
		return new Captured((status != null) ? status.value() : 200, headers, Arrays.copyOf(this.body, this.size));
	}

	/**
	 * A response as it was sent.
	 * @param status the status code
	 * @param headers the headers, in the order they were set
	 * @param body the body bytes
	 */
	record Captured(int status, Map<String, List<String>> headers, byte[] body) {
	}

}
