package io.github.idempotency.internal.reactive;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * The response of every exchange, installed before WebFlux builds the exchange so that it
 * also carries what error handlers render. It passes everything through until the request
 * claims a key; from then on, the body is gathered as it is written, the claim is settled
 * with the final status, headers and bytes, and only then is the response sent. A
 * streamed body ({@link #writeAndFlushWith}: {@code text/event-stream},
 * {@code application/x-ndjson}) is sent as it comes, and its key given back.
 */
final class ReactiveSettlingResponse extends ServerHttpResponseDecorator {

	private final ReactiveSettler settler;

	private final ReactiveStoreCalls calls;

	private final AtomicReference<ReactiveClaim> held = new AtomicReference<>();

	private boolean decided;

	ReactiveSettlingResponse(ServerHttpResponse response, ReactiveSettler settler, ReactiveStoreCalls calls) {
		super(response);
		this.settler = settler;
		this.calls = calls;
	}

	/**
	 * Finds the settling response of an exchange among the decorators of its response.
	 * @param response the exchange's response
	 * @return the settling response, or {@code null} when there is none
	 */
	static @Nullable ReactiveSettlingResponse of(ServerHttpResponse response) {
		ServerHttpResponse current = response;
		while (current instanceof ServerHttpResponseDecorator decorator) {
			if (decorator instanceof ReactiveSettlingResponse settling) {
				return settling;
			}
			current = decorator.getDelegate();
		}
		return null;
	}

	/**
	 * Marks the request decided; a request is decided once.
	 * @return {@code true} the first time
	 */
	boolean decide() {
		if (this.decided) {
			return false;
		}
		this.decided = true;
		return true;
	}

	/**
	 * @return how the store is called for this exchange
	 */
	ReactiveStoreCalls calls() {
		return this.calls;
	}

	/** Holds a claim to settle once the response is final. */
	void hold(ReactiveClaim claimed) {
		this.held.set(claimed);
	}

	/**
	 * @return the claim held, or {@code null}
	 */
	@Nullable ReactiveClaim held() {
		return this.held.get();
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		if (this.held.get() == null) {
			return super.writeWith(body);
		}
		return Flux.from(body)
			.collectList()
			.doOnDiscard(DataBuffer.class, DataBufferUtils::release)
			.flatMap((buffers) -> settle(bytesOf(buffers)).then(Mono.defer(() -> super.writeWith(sent(buffers)))));
	}

	/**
	 * The gathered body as the server sends it best: one buffer as a {@code Mono}, which
	 * Reactor Netty writes and flushes at once, where a {@code Flux} would cost it a
	 * subscription and a flush task on the event loop.
	 */
	private static Publisher<? extends DataBuffer> sent(List<? extends DataBuffer> buffers) {
		return (buffers.size() == 1) ? Mono.just(buffers.get(0)) : Flux.fromIterable(buffers);
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		if (this.held.get() == null) {
			return super.writeAndFlushWith(body);
		}
		return settle(null).then(Mono.defer(() -> super.writeAndFlushWith(body)));
	}

	@Override
	public Mono<Void> setComplete() {
		if (this.held.get() == null) {
			return super.setComplete();
		}
		return settle(new byte[0]).then(Mono.defer(super::setComplete));
	}

	private Mono<Void> settle(byte @Nullable [] body) {
		ReactiveClaim claimed = this.held.getAndSet(null);
		if (claimed == null) {
			return Mono.empty();
		}
		HttpStatusCode status = getStatusCode();
		return this.settler.settle(claimed, this.calls, (status != null) ? status.value() : 200, getHeaders(), body);
	}

	/**
	 * Gives the key back when the exchange ended without a response: it failed or was
	 * cancelled.
	 * @param reason why, for the log
	 */
	void abandon(String reason) {
		ReactiveClaim claimed = this.held.getAndSet(null);
		if (claimed != null) {
			this.settler.abandon(claimed, this.calls, reason).subscribe();
		}
	}

	private static byte[] bytesOf(List<? extends DataBuffer> buffers) {
		int size = 0;
		for (DataBuffer buffer : buffers) {
			size += buffer.readableByteCount();
		}
		byte[] bytes = new byte[size];
		int offset = 0;
		for (DataBuffer buffer : buffers) {
			int length = buffer.readableByteCount();
			buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), offset, length);
			offset += length;
		}
		return bytes;
	}

}
