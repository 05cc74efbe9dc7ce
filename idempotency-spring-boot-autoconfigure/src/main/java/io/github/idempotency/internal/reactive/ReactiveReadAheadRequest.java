package io.github.idempotency.internal.reactive;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * A reactive request whose body was read ahead to fingerprint it: its decoders read the
 * same bytes again, from memory, in a buffer of their own for each subscription (decoders
 * release what they read).
 */
final class ReactiveReadAheadRequest extends ServerHttpRequestDecorator {

	private final byte[] body;

	ReactiveReadAheadRequest(ServerHttpRequest request, byte[] body) {
		super(request);
		this.body = body;
	}

	@Override
	public Flux<DataBuffer> getBody() {
		if (this.body.length == 0) {
			return Flux.empty();
		}
		return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(this.body)));
	}

}
