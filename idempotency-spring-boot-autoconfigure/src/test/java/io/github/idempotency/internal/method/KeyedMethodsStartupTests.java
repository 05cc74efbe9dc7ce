package io.github.idempotency.internal.method;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.github.idempotency.Idempotent;
import io.github.idempotency.autoconfigure.IdempotencyAutoConfiguration;
import io.github.idempotency.internal.aop.IdempotentDurations;
import io.github.idempotency.method.ReturnValueCodec;
import io.github.idempotency.testsupport.SpringBootLine;
import io.github.idempotency.testsupport.StartupFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every misuse of {@code @Idempotent(key = ...)} stops start-up with a message naming the
 * method and what is wrong; what is right starts, and the beans back off.
 */
class KeyedMethodsStartupTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class, AopAutoConfiguration.class,
				SpringBootLine.jacksonAutoConfiguration()))
		.withPropertyValues("idempotency.store=in-memory");

	@ParameterizedTest
	@ValueSource(classes = { SyntaxError.class, UnknownParameter.class, PositionOutOfRange.class })
	void aWrongKeyExpressionStopsStartupNamingTheMethodAndTheExpression(Class<?> bean) {
		this.contextRunner.withBean(bean)
			.run((context) -> assertThat(startupFailure(context))
				.contains("@Idempotent(key = \"" + bean.getDeclaredMethods()[0].getAnnotation(Idempotent.class).key()
						+ "\")")
				.contains(bean.getName() + ".handle()"));
	}

	@Test
	void aNameThatIsNoParameterIsNamedWithTheParametersThereAre() {
		this.contextRunner.withBean(UnknownParameter.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains("#evnt is not a parameter of the method; use #event or #p0"));
	}

	@Test
	void aWrongFingerprintExpressionStopsStartup() {
		this.contextRunner.withBean(WrongFingerprint.class)
			.run((context) -> assertThat(startupFailure(context)).contains("@Idempotent(fingerprint = \"#amount\")")
				.contains(WrongFingerprint.class.getName() + ".handle()"));
	}

	@ParameterizedTest
	@ValueSource(classes = { ReturnsOptional.class, ReturnsFuture.class, ReturnsStream.class, ReturnsMono.class })
	void aReturnTypeThatCannotBeStoredStopsStartupNamingTheMethod(Class<?> bean) {
		this.contextRunner.withBean(bean)
			.run((context) -> assertThat(startupFailure(context))
				.contains("@Idempotent method " + bean.getName() + ".handle() cannot be made idempotent: it returns"));
	}

	@Test
	void withoutAJsonMapperOnlyPlainValuesCanBeStored() {
		ApplicationContextRunner withoutJackson = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class, AopAutoConfiguration.class))
			.withPropertyValues("idempotency.store=in-memory");
		withoutJackson.withBean(ReturnsText.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(ReturnValueCodec.class);
			assertThat(AopUtils.isAopProxy(context.getBean(ReturnsText.class))).isTrue();
		});
		withoutJackson.withBean(ReturnsRecord.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains(ReturnsRecord.class.getName() + ".handle() cannot be made idempotent")
				.contains("no JSON mapper"));
	}

	@Test
	void theApplicationsJsonMapperStoresValues() {
		this.contextRunner.withBean(ReturnsRecord.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ReturnValueCodec.class);
			assertThat(context.getBean(ReturnValueCodec.class))
				.isInstanceOf(SpringBootLine.BOOT4 ? Jackson3ReturnValueCodec.class : Jackson2ReturnValueCodec.class);
		});
	}

	@Test
	void aMalformedDurationStopsStartupNamingTheMethod() {
		this.contextRunner.withBean(MalformedTtl.class)
			.run((context) -> assertThat(startupFailure(context)).contains(
					"@Idempotent(ttl = \"a day\") on " + MalformedTtl.class.getName() + ".handle() is not a duration"));
	}

	@Test
	void aNegativeWaitForInProgressStopsStartupNamingTheMethod() {
		this.contextRunner.withBean(NegativeWait.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains("@Idempotent(waitForInProgress = \"-1s\") on " + NegativeWait.class.getName()
						+ ".handle() must not be negative"));
	}

	@Test
	void anIdempotentMethodWithoutAKeyInAnApplicationWithoutSpringMvcStopsStartup() {
		this.contextRunner.withBean(NoKey.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains("@Idempotent method " + NoKey.class.getName() + ".handle()")
				.contains("has no key")
				.contains("@Idempotent(key = \"#event.id\")"));
	}

	@Test
	void anIdempotentMethodWithoutAKeyInAWebApplicationIsToldToTakeAKey() {
		webContextRunner().withBean(NoKey.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains("@Idempotent method " + NoKey.class.getName() + ".handle()")
				.contains("is not a Spring MVC handler method and has no key")
				.contains("@Idempotent(key = \"#event.id\")"));
	}

	@Test
	void aKeyOnARequestMappedMethodStopsStartupSayingTheKeyComesFromTheHeader() {
		webContextRunner().withUserConfiguration(KeyedHandler.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains("@Idempotent(key = \"#body\") on " + KeyedHandler.class.getName() + ".create()")
				.contains("takes its key from the request's idempotency key header"));
	}

	@Test
	void aKeyedServiceInAWebApplicationIsAdvisedByTheMethodDoorOnly() {
		webContextRunner().withBean(ReturnsText.class).run((context) -> {
			assertThat(context).hasNotFailed();
			ReturnsText bean = context.getBean(ReturnsText.class);
			assertThat(bean.handle("k")).isEqualTo(bean.handle("k"));
			assertThat(bean.runs()).isEqualTo(1);
		});
	}

	@Test
	void theCodecAndTheRegistryBackOff() {
		ReturnValueCodec userCodec = new ReturnValueCodec() {
			@Override
			public byte[] encode(Object value, java.lang.reflect.Type type) {
				return new byte[0];
			}

			@Override
			public Object decode(byte[] bytes, java.lang.reflect.Type type) {
				return null;
			}
		};
		this.contextRunner.withBean(ReturnValueCodec.class, () -> userCodec)
			.withUserConfiguration(UserRegistry.class)
			.run((context) -> {
				assertThat(context.getBean(ReturnValueCodec.class)).isSameAs(userCodec);
				assertThat(context.getBean(KeyedMethods.class)).isSameAs(context.getBean("userKeyedMethods"));
			});
	}

	private WebApplicationContextRunner webContextRunner() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class, AopAutoConfiguration.class))
			.withConfiguration(AutoConfigurations.of(SpringBootLine.webMvcAutoConfigurations()))
			.withPropertyValues("idempotency.store=in-memory");
	}

	private static String startupFailure(
			org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider<?> context) {
		return StartupFailure.of(context);
	}

	record Event(String id, long amount) {
	}

	public static class SyntaxError {

		@Idempotent(key = "#event.")
		public String handle(Event event) {
			return "x";
		}

	}

	public static class UnknownParameter {

		@Idempotent(key = "#evnt.id")
		public String handle(Event event) {
			return "x";
		}

	}

	public static class PositionOutOfRange {

		@Idempotent(key = "#p1")
		public String handle(Event event) {
			return "x";
		}

	}

	public static class WrongFingerprint {

		@Idempotent(key = "#event.id", fingerprint = "#amount")
		public String handle(Event event) {
			return "x";
		}

	}

	public static class ReturnsOptional {

		@Idempotent(key = "#id")
		public Optional<String> handle(String id) {
			return Optional.empty();
		}

	}

	public static class ReturnsFuture {

		@Idempotent(key = "#id")
		public CompletableFuture<String> handle(String id) {
			return CompletableFuture.completedFuture(id);
		}

	}

	public static class ReturnsStream {

		@Idempotent(key = "#id")
		public Stream<String> handle(String id) {
			return Stream.of(id);
		}

	}

	public static class ReturnsMono {

		@Idempotent(key = "#id")
		public Mono<String> handle(String id) {
			return Mono.just(id);
		}

	}

	public static class ReturnsText {

		private int runs;

		@Idempotent(key = "#id")
		public String handle(String id) {
			return "run " + (++this.runs);
		}

		public int runs() {
			return this.runs;
		}

	}

	public static class ReturnsRecord {

		@Idempotent(key = "#id")
		public List<Event> handle(String id) {
			return List.of(new Event(id, 1));
		}

	}

	public static class NegativeWait {

		@Idempotent(key = "#id", waitForInProgress = "-1s")
		public String handle(String id) {
			return id;
		}

	}

	public static class MalformedTtl {

		@Idempotent(key = "#id", ttl = "a day")
		public String handle(String id) {
			return id;
		}

	}

	public static class NoKey {

		@Idempotent
		public String handle(String id) {
			return id;
		}

	}

	@RestController
	public static class KeyedHandler {

		@PostMapping("/keyed")
		@Idempotent(key = "#body")
		public ResponseEntity<String> create(@org.springframework.web.bind.annotation.RequestBody String body) {
			return ResponseEntity.ok(body);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRegistry {

		@Bean
		KeyedMethods userKeyedMethods(org.springframework.beans.factory.ListableBeanFactory beanFactory) {
			return new KeyedMethods(new IdempotentDurations(java.time.Duration.ofHours(1),
					java.time.Duration.ofSeconds(5), java.time.Duration.ZERO), java.time.Duration.ZERO, null,
					beanFactory, () -> true);
		}

	}

}
