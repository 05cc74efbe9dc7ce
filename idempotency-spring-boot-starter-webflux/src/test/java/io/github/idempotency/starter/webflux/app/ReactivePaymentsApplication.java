package io.github.idempotency.starter.webflux.app;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.idempotency.Idempotent;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A reactive service as a user writes it with only the WebFlux starter: one idempotent
 * endpoint, and a count of how often it really ran.
 */
@SpringBootApplication
public class ReactivePaymentsApplication {

	public static void main(String[] args) {
		SpringApplication.run(ReactivePaymentsApplication.class, args);
	}

	@RestController
	static class Payments {

		private final AtomicInteger runs = new AtomicInteger();

		@PostMapping("/payments")
		@Idempotent
		Mono<ResponseEntity<Map<String, Object>>> create(@RequestBody Map<String, Object> payment) {
			int id = this.runs.incrementAndGet();
			return Mono.just(ResponseEntity.created(URI.create("/payments/" + id))
				.body(Map.of("id", id, "amount", payment.get("amount"))));
		}

		@GetMapping("/runs")
		Mono<Integer> runs() {
			return Mono.just(this.runs.get());
		}

	}

}
