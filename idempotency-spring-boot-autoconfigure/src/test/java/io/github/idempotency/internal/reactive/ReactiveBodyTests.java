package io.github.idempotency.internal.reactive;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.idempotency.internal.reactive.ReactiveBodyReader.BodyTooLargeException;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The reactive building blocks of the WebFlux door: a body read ahead within its limit
 * and read again by the decoders.
 */
class ReactiveBodyTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final ReactiveBodyReader reader = new ReactiveBodyReader(16);

	@Test
	void bodyInSeveralBuffersIsReadWhole() {
		MockServerHttpRequest request = MockServerHttpRequest.post("/orders")
			.body(Flux.just(buffer("{\"a\":"), buffer("1}")));
		assertThat(this.reader.read(request).block(WAIT)).asString().isEqualTo("{\"a\":1}");
	}

	@Test
	void bodyReadIsReleased() {
		NettyDataBuffer body = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT)
			.wrap(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8));
		assertThat(this.reader.read(MockServerHttpRequest.post("/orders").body(Flux.just(body))).block(WAIT)).asString()
			.isEqualTo("{}");
		assertThat(body.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void bodyOfExactlyTheLimitIsRead() {
		assertThat(this.reader.read(MockServerHttpRequest.post("/orders").body("0123456789abcdef")).block(WAIT))
			.hasSize(16);
	}

	@Test
	void missingBodyIsEmpty() {
		assertThat(this.reader.read(MockServerHttpRequest.post("/orders").build()).block(WAIT)).isEmpty();
	}

	@Test
	void bodyDeclaredLargerThanTheLimitIsRefusedUnread() {
		AtomicInteger subscribed = new AtomicInteger();
		MockServerHttpRequest request = MockServerHttpRequest.post("/orders")
			.contentLength(17)
			.body(Flux.just(buffer("0123456789abcdefg")).doOnSubscribe((s) -> subscribed.incrementAndGet()));
		assertThatExceptionOfType(BodyTooLargeException.class).isThrownBy(() -> this.reader.read(request).block(WAIT));
		assertThat(subscribed).hasValue(0);
	}

	@Test
	void bodyFoundLargerThanTheLimitIsRefusedAndItsBuffersReleased() {
		NettyDataBufferFactory netty = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
		NettyDataBuffer first = netty.wrap(Unpooled.copiedBuffer("0123456789", StandardCharsets.UTF_8));
		NettyDataBuffer second = netty.wrap(Unpooled.copiedBuffer("abcdefg", StandardCharsets.UTF_8));
		MockServerHttpRequest request = MockServerHttpRequest.post("/orders").body(Flux.just(first, second));
		assertThatExceptionOfType(BodyTooLargeException.class).isThrownBy(() -> this.reader.read(request).block(WAIT));
		assertThat(first.getNativeBuffer().refCnt()).isZero();
		assertThat(second.getNativeBuffer().refCnt()).isZero();
	}

	@Test
	void bodyReadAheadIsReadAgainForEverySubscription() {
		ReactiveReadAheadRequest request = new ReactiveReadAheadRequest(MockServerHttpRequest.post("/orders").build(),
				"{\"a\":1}".getBytes(StandardCharsets.UTF_8));
		assertThat(text(request.getBody())).isEqualTo("{\"a\":1}");
		assertThat(text(request.getBody())).isEqualTo("{\"a\":1}");
		assertThat(new ReactiveReadAheadRequest(MockServerHttpRequest.post("/orders").build(), new byte[0]).getBody()
			.collectList()
			.block(WAIT)).isEmpty();
	}

	private static String text(Flux<DataBuffer> body) {
		return DataBufferUtils.join(body).map((joined) -> {
			try {
				return joined.toString(StandardCharsets.UTF_8);
			}
			finally {
				DataBufferUtils.release(joined);
			}
		}).block(WAIT);
	}

	private static DataBuffer buffer(String text) {
		return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

}
