package io.github.idempotency.internal.reactive;

import io.github.idempotency.webflux.IdempotencyFilterFunctions;
import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.Idempotent;
import io.github.idempotency.ReactiveIdempotencyScopeResolver;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.internal.security.ReactiveSecurityContextScopeResolver;
import io.github.idempotency.testsupport.SpringBootLine;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WebFlux door's auto-configuration: what a reactive application gets, what backs
 * off, and which methods stop start-up.
 */
class WebFluxAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class, AopAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(SpringBootLine.webFluxAutoConfigurations()))
		.withPropertyValues("idempotency.store=in-memory");

	@Test
	void aReactiveApplicationGetsTheWebFluxDoorAndNoSpringMvcDoor() {
		this.contextRunner.withUserConfiguration(Payments.class).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(ReactiveHandlerAdapter.class)
				.hasSingleBean(ReactiveSettlingHandlerDecorator.class)
				.hasSingleBean(ReactiveIdempotentHandlers.class)
				.hasSingleBean(IdempotencyFilterFunctions.class)
				.hasSingleBean(ReactiveHandlerAdvice.class)
				.hasSingleBean(ReactiveExceptionHandler.class)
				.doesNotHaveBean(io.github.idempotency.internal.servlet.ServletHandlerInterceptor.class)
				.doesNotHaveBean(IdempotencyScopeResolver.class);
			assertThat(context.getBean(ReactiveIdempotencyScopeResolver.class))
				.isInstanceOf(ReactiveSecurityContextScopeResolver.class);
			assertThat(context.getBean(ReactiveIdempotentHandlers.class).find(Payments.class.getDeclaredMethod("pay")))
				.isNotNull();
		});
	}

	@Test
	void withoutSpringSecurityKeysAreScopedToTheExchangesPrincipal() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ReactiveSecurityContextHolder.class))
			.run((context) -> assertThat(context.getBean(ReactiveIdempotencyScopeResolver.class))
				.isInstanceOf(ReactivePrincipalScopeResolver.class));
	}

	@Test
	void theApplicationsOwnScopeResolverWins() {
		ReactiveIdempotencyScopeResolver own = (exchange) -> Mono.just("tenant:acme");
		this.contextRunner.withBean(ReactiveIdempotencyScopeResolver.class, () -> own)
			.run((context) -> assertThat(context.getBean(ReactiveIdempotencyScopeResolver.class)).isSameAs(own));
	}

	@Test
	void theApplicationsOwnExceptionHandlerWins() {
		ReactiveExceptionHandler own = new ReactiveExceptionHandler();
		this.contextRunner.withBean(ReactiveExceptionHandler.class, () -> own)
			.run((context) -> assertThat(context.getBean(ReactiveExceptionHandler.class)).isSameAs(own));
	}

	@Test
	void aServletApplicationGetsNoWebFluxDoor() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class, AopAutoConfiguration.class))
			.withConfiguration(AutoConfigurations.of(SpringBootLine.webMvcAutoConfigurations()))
			.withPropertyValues("idempotency.store=in-memory")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ReactiveHandlerAdapter.class)
				.doesNotHaveBean(ReactiveSettlingHandlerDecorator.class)
				.doesNotHaveBean(ReactiveIdempotencyScopeResolver.class));
	}

	@Test
	void aMethodThatStreamsEventsStopsStartupNamingIt() {
		this.contextRunner.withUserConfiguration(EventStream.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("EventStream.events()")
				.hasMessageContaining("text/event-stream"));
		this.contextRunner.withUserConfiguration(ServerSentEvents.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("ServerSentEvents.events()")
				.hasMessageContaining("ServerSentEvents"));
		this.contextRunner.withUserConfiguration(NdJson.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("NdJson.lines()")
				.hasMessageContaining("application/x-ndjson"));
	}

	@Test
	void aKeylessMethodThatIsNoHandlerStopsStartupNamingIt() {
		this.contextRunner.withUserConfiguration(KeylessService.class)
			.run((context) -> assertThat(context).getFailure()
				.hasMessageContaining("KeylessService.charge()")
				.hasMessageContaining("is not a WebFlux handler method and has no key"));
	}

	@RestController
	static class Payments {

		@Idempotent
		@PostMapping("/payments")
		Mono<String> pay() {
			return Mono.just("paid");
		}

	}

	@RestController
	static class EventStream {

		@Idempotent
		@PostMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<String> events() {
			return Flux.just("a");
		}

	}

	@RestController
	static class ServerSentEvents {

		@Idempotent
		@PostMapping("/events")
		Flux<ServerSentEvent<String>> events() {
			return Flux.just(ServerSentEvent.builder("a").build());
		}

	}

	@RestController
	static class NdJson {

		@Idempotent
		@PostMapping(path = "/lines", produces = MediaType.APPLICATION_NDJSON_VALUE)
		Flux<String> lines() {
			return Flux.just("a");
		}

	}

	@Service
	static class KeylessService {

		@Idempotent
		public String charge() {
			return "charged";
		}

	}

}
