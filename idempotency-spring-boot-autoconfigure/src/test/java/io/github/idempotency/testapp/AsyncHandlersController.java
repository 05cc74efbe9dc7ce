package io.github.idempotency.testapp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.idempotency.Idempotent;
import jakarta.annotation.PreDestroy;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.server.ResponseStatusException;

/**
 * Idempotent Spring MVC handlers whose results arrive asynchronously, on threads of their
 * own, after the request thread has returned to the container.
 */
@RestController
class AsyncHandlersController {

	private final Executions executions;

	private final Gate gate;

	private final ExecutorService workers = Executors.newCachedThreadPool();

	AsyncHandlersController(Executions executions, Gate gate) {
		this.executions = executions;
		this.gate = gate;
	}

	@PostMapping("/async/future")
	@Idempotent
	CompletableFuture<ResponseEntity<Map<String, Object>>> future(@RequestBody Map<String, Object> order) {
		return CompletableFuture.supplyAsync(() -> created("async-future", order), this.workers);
	}

	@PostMapping("/async/gated")
	@Idempotent
	CompletableFuture<ResponseEntity<Map<String, Object>>> gated(@RequestBody Map<String, Object> order) {
		return CompletableFuture.supplyAsync(() -> {
			passGate();
			return created("async-gated", order);
		}, this.workers);
	}

	@PostMapping("/async/deferred")
	@Idempotent
	DeferredResult<ResponseEntity<Map<String, Object>>> deferred(@RequestBody Map<String, Object> order) {
		DeferredResult<ResponseEntity<Map<String, Object>>> result = new DeferredResult<>();
		this.workers.execute(() -> result.setResult(created("async-deferred", order)));
		return result;
	}

	@PostMapping("/async/callable")
	@Idempotent
	Callable<ResponseEntity<Map<String, Object>>> callable(@RequestBody Map<String, Object> order) {
		return () -> created("async-callable", order);
	}

	@PostMapping("/async/mono")
	@Idempotent
	Mono<ResponseEntity<Map<String, Object>>> mono(@RequestBody Map<String, Object> order) {
		return Mono.delay(Duration.ofMillis(20), Schedulers.parallel()).map((tick) -> created("async-mono", order));
	}

	@PostMapping("/async/fails")
	@Idempotent
	CompletableFuture<String> fails(@RequestBody String body) {
		return CompletableFuture.supplyAsync(() -> {
			this.executions.record("async-fails");
			throw new IllegalStateException("the payment provider is down");
		}, this.workers);
	}

	@PostMapping("/async/not-found")
	@Idempotent
	CompletableFuture<String> notFound(@RequestBody String body) {
		return CompletableFuture.supplyAsync(() -> {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND,
					"no account " + this.executions.record("async-not-found"));
		}, this.workers);
	}

	@PostMapping("/async/never")
	@Idempotent(lockTimeout = "2s")
	DeferredResult<String> never(@RequestBody String body) {
		this.executions.record("async-never");
		return new DeferredResult<>(300L);
	}

	private ResponseEntity<Map<String, Object>> created(String endpoint, Map<String, Object> order) {
		int number = this.executions.record(endpoint);
		return ResponseEntity.status(HttpStatus.CREATED)
			.header("Location", "/" + endpoint + "/" + number)
			.header("X-Thread", Thread.currentThread().getName().startsWith("http-nio") ? "request" : "other")
			.body(Map.of("order", order, "number", number));
	}

	private void passGate() {
		try {
			this.gate.pass();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@PreDestroy
	void stop() {
		this.workers.shutdownNow();
	}

}
