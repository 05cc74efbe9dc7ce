package io.github.idempotency.sample;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark's WebFlux floor, only with {@code sample.floor.enabled=true} on the
 * reactive stack: {@code POST /floor/payments} is the Spring MVC floor
 * ({@link FloorController}) written without blocking — the same claim
 * ({@code SET … NX GET PX}) and owner-checked completion ({@code EVALSHA}) through
 * Lettuce's asynchronous API, around the same {@link PaymentService#createLater} as the
 * reactive {@code POST /payments}. Like the starter, it goes back to the event loop that
 * serves the request's connection once Redis answered, so that no business code runs on
 * Lettuce's one I/O thread. Not for production.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnProperty(prefix = "sample.floor", name = "enabled", havingValue = "true")
class ReactiveFloorController implements DisposableBean {

	private final PaymentService payments;

	private final FloorRedisConnection connection;

	private final RedisAsyncCommands<String, String> redis;

	private final Map<Executor, Scheduler> eventLoops = new ConcurrentHashMap<>();

	ReactiveFloorController(PaymentService payments, Environment environment) {
		this.payments = payments;
		this.connection = new FloorRedisConnection(environment);
		this.redis = this.connection.connection().async();
	}

	@PostMapping("/floor/payments")
	Mono<ResponseEntity<Payment>> create(@RequestHeader(name = "Idempotency-Key", required = false) String key,
			@Valid @RequestBody PaymentRequest request, ServerHttpRequest httpRequest) {
		if (key == null) {
			return Mono.just(FloorRecords.noKey());
		}
		String storageKey = FloorRecords.storageKey(key);
		String fingerprint = FloorRecords.fingerprint(request);
		String claim = FloorRecords.claim(fingerprint);
		return Mono.fromCompletionStage(this.redis.setGet(storageKey, claim, FloorRedisConnection.CLAIM))
			.publishOn(eventLoopOf(httpRequest))
			.map((existing) -> FloorRecords.answer(existing, fingerprint))
			.switchIfEmpty(
					Mono.defer(() -> this.payments.createLater(request)
						.flatMap((payment) -> Mono
							.fromCompletionStage(this.redis.evalsha(this.connection.completeSha(),
									ScriptOutputType.INTEGER, new String[] { storageKey }, claim,
									FloorRecords.finished(fingerprint, payment), FloorRedisConnection.TTL))
							.thenReturn(FloorRecords.created(payment, false)))));
	}

	private Scheduler eventLoopOf(ServerHttpRequest request) {
		Connection connection = ServerHttpRequestDecorator.getNativeRequest(request);
		return this.eventLoops.computeIfAbsent(connection.channel().eventLoop(),
				(eventLoop) -> Schedulers.fromExecutor(eventLoop::execute));
	}

	@Override
	public void destroy() {
		this.connection.close();
	}

}
