package io.github.idempotency.internal.reactive.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.idempotency.Idempotent;
import io.github.idempotency.webflux.IdempotencyFilterFunctions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;

/**
 * A reactive application with {@code @Idempotent} WebFlux handlers of every supported
 * shape, counting how often each really ran.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ReactiveTestApplication.Payments.class)
public class ReactiveTestApplication {

	/**
	 * Starts the application as a new user's would, its web stack chosen by the class
	 * path.
	 * @param args {@code --name=value} settings
	 */
	public static void main(String[] args) {
		new SpringApplicationBuilder(ReactiveTestApplication.class).run(args);
	}

	/**
	 * Starts an instance on a free port.
	 * @param properties {@code name=value} settings
	 * @return the context
	 */
	public static ConfigurableApplicationContext start(String... properties) {
		return start(List.of(), properties);
	}

	/**
	 * Starts an instance on a free port with more configuration.
	 * @param configurations further configuration classes
	 * @param properties {@code name=value} settings
	 * @return the context
	 */
	public static ConfigurableApplicationContext start(List<Class<?>> configurations, String... properties) {
		List<Class<?>> sources = new ArrayList<>(List.of(ReactiveTestApplication.class));
		sources.addAll(configurations);
		List<String> all = new ArrayList<>(
				List.of("server.port=0", "spring.main.banner-mode=off", "spring.main.web-application-type=reactive"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).properties(all.toArray(String[]::new))
			.run();
	}

	@Bean
	Runs runs() {
		return new Runs();
	}

	/**
	 * Every exchange is allowed, without CSRF tokens; a caller may name itself with HTTP
	 * Basic (alice or bob), which scopes its keys.
	 */
	@Bean
	SecurityWebFilterChain openSecurity(ServerHttpSecurity http) {
		return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	/** A functional endpoint, made idempotent by the starter's filter. */
	@Bean
	RouterFunction<ServerResponse> functionalPayments(IdempotencyFilterFunctions idempotency, Runs runs) {
		return RouterFunctions.route()
			.POST("/functional/payments", (request) -> request.bodyToMono(PaymentRequest.class).flatMap((body) -> {
				int id = runs.ran("functional");
				return ServerResponse.status(HttpStatus.CREATED)
					.header("Location", "/functional/payments/" + id)
					.bodyValue(new Payment(id, body.account(), body.amount()));
			}))
			.filter(idempotency.endpoint("Functional#pay").ttl(Duration.ofMinutes(5)))
			.build();
	}

	@Bean
	MapReactiveUserDetailsService users() {
		return new MapReactiveUserDetailsService(user("alice"), user("bob"));
	}

	private static UserDetails user(String name) {
		return User.withUsername(name).password("{noop}secret").roles("USER").build();
	}

	/**
	 * Netty, though Tomcat is on the test class path too (Spring Boot 3 would take Tomcat
	 * first); registered by name, as the factory's package differs between Spring Boot 3
	 * and 4.
	 */
	@Bean
	static BeanDefinitionRegistryPostProcessor nettyServer() {
		return (registry) -> {
			String name = ClassUtils.isPresent(BOOT4_NETTY, null) ? BOOT4_NETTY : BOOT3_NETTY;
			if (registry.containsBeanDefinition("tomcatReactiveWebServerFactory")) {
				registry.removeBeanDefinition("tomcatReactiveWebServerFactory");
			}
			if (!registry.containsBeanDefinition("nettyReactiveWebServerFactory")) {
				RootBeanDefinition server = new RootBeanDefinition(ClassUtils.resolveClassName(name, null));
				server.getPropertyValues().add("resourceFactory", new RuntimeBeanReference("ownNettyResources"));
				registry.registerBeanDefinition("nettyReactiveWebServerFactory", server);
			}
		};
	}

	/**
	 * Event loops of this instance's own: with Reactor Netty's global ones, closing one
	 * instance of a test would stop the server of every other instance in the JVM.
	 */
	@Bean
	ReactorResourceFactory ownNettyResources() {
		ReactorResourceFactory resources = new ReactorResourceFactory();
		resources.setUseGlobalResources(false);
		return resources;
	}

	private static final String BOOT3_NETTY = "org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory";

	private static final String BOOT4_NETTY = "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory";

	/**
	 * How often each handler ran, and gates that hold a handler until a test opens them.
	 */
	public static final class Runs {

		private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

		private final Map<String, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();

		public int of(String handler) {
			return this.counts.computeIfAbsent(handler, (name) -> new AtomicInteger()).get();
		}

		int ran(String handler) {
			return this.counts.computeIfAbsent(handler, (name) -> new AtomicInteger()).incrementAndGet();
		}

		public CompletableFuture<Void> gate(String name) {
			return this.gates.computeIfAbsent(name, (n) -> new CompletableFuture<>());
		}

	}

	public record PaymentRequest(@NotBlank String account, @Positive long amount) {
	}

	public record Payment(int id, String account, long amount) {
	}

	/** A form-posted payment, bound by WebFlux's data binder. */
	public static class PaymentForm {

		private String account;

		private long amount;

		public String getAccount() {
			return this.account;
		}

		public void setAccount(String account) {
			this.account = account;
		}

		public long getAmount() {
			return this.amount;
		}

		public void setAmount(long amount) {
			this.amount = amount;
		}

	}

	@RestController
	static class Payments {

		private final Runs runs;

		Payments(Runs runs) {
			this.runs = runs;
		}

		@GetMapping("/runs/{handler}")
		int runs(@PathVariable String handler) {
			return this.runs.of(handler);
		}

		@Idempotent
		@PostMapping("/payments")
		Mono<ResponseEntity<Payment>> pay(@Valid @RequestBody PaymentRequest request) {
			return Mono.fromSupplier(() -> {
				int id = this.runs.ran("payments");
				return ResponseEntity.status(HttpStatus.CREATED)
					.header("Location", "/payments/" + id)
					.body(new Payment(id, request.account(), request.amount()));
			});
		}

		@Idempotent
		@PostMapping("/held")
		Mono<Payment> held(@RequestBody PaymentRequest request, @RequestHeader("X-Gate") String gate) {
			return heldUntilOpen("held", request, gate);
		}

		@Idempotent(waitForInProgress = "10s")
		@PostMapping("/held-waiting")
		Mono<Payment> heldWaiting(@RequestBody PaymentRequest request, @RequestHeader("X-Gate") String gate) {
			return heldUntilOpen("held-waiting", request, gate);
		}

		@Idempotent(waitForInProgress = "1s")
		@PostMapping("/held-short-wait")
		Mono<Payment> heldShortWait(@RequestBody PaymentRequest request, @RequestHeader("X-Gate") String gate) {
			return heldUntilOpen("held-short-wait", request, gate);
		}

		private Mono<Payment> heldUntilOpen(String handler, PaymentRequest request, String gate) {
			return Mono.fromRunnable(() -> this.runs.ran(handler + "-started"))
				.then(Mono.fromFuture(this.runs.gate(gate)))
				.then(Mono
					.fromSupplier(() -> new Payment(this.runs.ran(handler), request.account(), request.amount())));
		}

		@Idempotent
		@PostMapping("/plain")
		@ResponseStatus(HttpStatus.CREATED)
		Payment plain(@RequestBody PaymentRequest request) {
			return new Payment(this.runs.ran("plain"), request.account(), request.amount());
		}

		@Idempotent
		@PostMapping("/entity-of-mono")
		ResponseEntity<Mono<Payment>> entityOfMono(@RequestBody PaymentRequest request) {
			return ResponseEntity.accepted()
				.body(Mono.fromSupplier(
						() -> new Payment(this.runs.ran("entity-of-mono"), request.account(), request.amount())));
		}

		@Idempotent
		@PostMapping(path = "/batch", produces = MediaType.APPLICATION_JSON_VALUE)
		Flux<Payment> batch(@RequestBody PaymentRequest request) {
			return Flux.defer(() -> {
				int run = this.runs.ran("batch");
				return Flux.range(1, 3).map((i) -> new Payment(run * 10 + i, request.account(), request.amount()));
			});
		}

		@Idempotent
		@PostMapping("/negotiated-batch")
		Flux<Payment> negotiatedBatch(@RequestBody PaymentRequest request) {
			return Flux.defer(() -> {
				int run = this.runs.ran("negotiated-batch");
				return Flux.range(1, 3).map((i) -> new Payment(run * 10 + i, request.account(), request.amount()));
			});
		}

		@Idempotent
		@PostMapping(path = "/form-model", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
		Mono<Payment> formModel(@ModelAttribute PaymentForm form) {
			return Mono
				.fromSupplier(() -> new Payment(this.runs.ran("form-model"), form.getAccount(), form.getAmount()));
		}

		@Idempotent
		@PostMapping("/missing")
		Mono<Payment> missing(@RequestBody PaymentRequest request) {
			return Mono.defer(() -> {
				this.runs.ran("missing");
				return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no such account"));
			});
		}

		@Idempotent
		@PostMapping("/broken")
		Mono<Payment> broken(@RequestBody PaymentRequest request) {
			return Mono.defer(() -> {
				this.runs.ran("broken");
				return Mono.error(new IllegalStateException("the ledger is down"));
			});
		}

		/**
		 * Answers whether it runs on the event loop that serves its request's connection,
		 * where WebFlux runs handlers without the starter, and on which thread.
		 */
		@Idempotent
		@PostMapping("/event-loop")
		Mono<ResponseEntity<String>> eventLoop(@RequestBody PaymentRequest request, ServerHttpRequest http) {
			this.runs.ran("event-loop");
			Connection connection = ServerHttpRequestDecorator.getNativeRequest(http);
			return Mono.just(ResponseEntity.status(HttpStatus.CREATED)
				.header("X-Own-Event-Loop", String.valueOf(connection.channel().eventLoop().inEventLoop()))
				.body(Thread.currentThread().getName()));
		}

		@Idempotent(required = false)
		@PostMapping("/optional")
		Mono<Payment> optional(@RequestBody PaymentRequest request) {
			return Mono.fromSupplier(() -> new Payment(this.runs.ran("optional"), request.account(), request.amount()));
		}

	}

}
