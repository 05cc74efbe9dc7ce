package io.github.idempotency.autoconfigure;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.Idempotent;
import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.StoreFailureMode;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.aop.IdempotentDurations;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore;
import io.github.idempotency.internal.method.IdempotentMethodInterceptor;
import io.github.idempotency.internal.method.KeyedMethods;
import io.github.idempotency.internal.micrometer.MicrometerIdempotencyObserver;
import io.github.idempotency.internal.redis.RedisIdempotencyStore;
import io.github.idempotency.internal.redis.RedisStoreConnector;
import io.github.idempotency.internal.security.SecurityContextScopeResolver;
import io.github.idempotency.internal.servlet.ServletDecider;
import io.github.idempotency.internal.servlet.ServletHandlerAdvice;
import io.github.idempotency.internal.servlet.ServletHandlerInterceptor;
import io.github.idempotency.internal.servlet.ServletIdempotentHandlers;
import io.github.idempotency.internal.servlet.ServletPrincipalScopeResolver;
import io.github.idempotency.internal.servlet.ServletSettler;
import io.github.idempotency.internal.servlet.ServletSettlingFilter;
import io.github.idempotency.internal.startup.IdempotencyStartup;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.github.idempotency.testsupport.SpringBootLine;
import io.github.idempotency.testsupport.StartupFailure;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import redis.clients.jedis.Jedis;

import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletListenerRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class,
				SpringBootLine.redisAutoConfiguration(), AopAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(SpringBootLine.webMvcAutoConfigurations()))
		.withPropertyValues("spring.data.redis.port=" + RedisServerProcess.freePort());

	@Test
	void callsAreObservedOnlyWhenTheApplicationTracesOrAsksForIt() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class))
			.withPropertyValues("idempotency.store=in-memory")
			.withBean(ObservationRegistry.class, IdempotencyAutoConfigurationTests::observationRegistry);
		runner.run((context) -> assertThat(observesCalls(context)).isFalse());
		runner.withPropertyValues("idempotency.observations.enabled=true")
			.run((context) -> assertThat(observesCalls(context)).isTrue());
		runner.withBean(SimpleTracer.class, SimpleTracer::new)
			.run((context) -> assertThat(observesCalls(context)).isTrue());
		runner.withBean(SimpleTracer.class, SimpleTracer::new)
			.withPropertyValues("idempotency.observations.enabled=false")
			.run((context) -> assertThat(observesCalls(context)).isFalse());
		runner.withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
			.run((context) -> assertThat(observesCalls(context)).isFalse());
	}

	/** A registry with a handler, so that its observations are real ones. */
	private static ObservationRegistry observationRegistry() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler((context) -> true);
		return registry;
	}

	private static boolean observesCalls(ApplicationContext context) {
		Observation call = context.getBean(ClaimSequence.class).startCall("Test#call");
		call.stop();
		return !call.isNoop();
	}

	@Test
	void defaultsToRedisWhenAConnectionFactoryExists() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(LettuceConnectionFactory.class);
			assertThat(context).hasSingleBean(RedisStoreConnector.class);
			assertThat(context).hasSingleBean(IdempotencyStartup.class);
			assertThat(context.getBean(IdempotencyStore.class).getClass().getPackage())
				.isEqualTo(RedisIdempotencyStore.class.getPackage());
			assertThat(context).hasSingleBean(ServletHandlerAdvice.class);
			assertThat(context).hasSingleBean(ServletDecider.class);
			assertThat(context).hasSingleBean(ServletSettler.class);
			assertThat(context).hasSingleBean(ServletHandlerInterceptor.class);
			assertThat(context).hasBean("idempotencyInterceptorRegistration");
			assertThat(context).hasBean("idempotencyRequestListenerRegistration");
			assertThat(context).hasSingleBean(ServletIdempotentHandlers.class);
			assertThat(context).hasBean("idempotencyFilterRegistration");
			assertThat(context).getBean(IdempotencyObserver.class).isSameAs(IdempotencyObserver.NONE);
		});
	}

	@Test
	void defaultsToInMemoryWithoutRedis() {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader(LettuceConnectionFactory.class, RedisClient.class, Jedis.class))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RedisConnectionFactory.class);
				assertThat(context).getBean(IdempotencyStore.class).isInstanceOf(InMemoryIdempotencyStore.class);
			});
	}

	@Test
	void inMemoryStoreCanBeChosenWhenRedisExists() {
		this.contextRunner.withPropertyValues("idempotency.store=in-memory", "idempotency.in-memory.max-entries=5")
			.run((context) -> {
				IdempotencyStore store = context.getBean(IdempotencyStore.class);
				assertThat(store).isInstanceOf(InMemoryIdempotencyStore.class);
				for (int i = 0; i < 5; i++) {
					store.claim("k" + i, "o", "fp", Duration.ofMinutes(1));
				}
				assertThat(((InMemoryIdempotencyStore) store).size()).isEqualTo(5);
			});
	}

	@Test
	void aJedisConnectionFactoryGetsTheRedisStore() {
		this.contextRunner.withPropertyValues("spring.data.redis.client-type=jedis")
			.run((context) -> assertRedisStoreOn(context, JedisConnectionFactory.class));
	}

	@Test
	void aJedisConnectionFactoryGetsTheRedisStoreAlsoWithoutLettuce() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(LettuceConnectionFactory.class, RedisClient.class))
			.run((context) -> assertRedisStoreOn(context, JedisConnectionFactory.class));
	}

	@Test
	void aLettuceConnectionFactoryGetsTheRedisStoreAlsoWithoutJedis() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Jedis.class))
			.run((context) -> assertRedisStoreOn(context, LettuceConnectionFactory.class));
	}

	private static void assertRedisStoreOn(AssertableWebApplicationContext context, Class<?> connectionFactoryType) {
		assertThat(context).hasNotFailed();
		assertThat(context).getBean(RedisConnectionFactory.class).isInstanceOf(connectionFactoryType);
		assertThat(context).hasSingleBean(RedisStoreConnector.class);
		assertThat(context.getBean(IdempotencyStore.class).getClass().getPackage())
			.isEqualTo(RedisIdempotencyStore.class.getPackage());
	}

	@Test
	void withoutLettuceNoReconnectDelayIsAppliedToJedis() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(IdempotencyAdaptersAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(RedisClient.class, ClientResources.class))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(RedisStoreConnector.class);
				assertThat(context).doesNotHaveBean("idempotencyReconnectDelayCustomizer");
			});
	}

	@Test
	void withoutActuatorThereIsNoHealthIndicatorAndTheRestWorks() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(IdempotencyAdaptersAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.health",
					"org.springframework.boot.health"))
			.withPropertyValues("idempotency.store=in-memory")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(ServletHandlerAdvice.class);
				assertThat(context).doesNotHaveBean("idempotencyHealthIndicator");
			});
	}

	@Test
	void aConnectionFactoryOfAnotherClientFailsStartupInsteadOfFallingBackToTheHeap() {
		this.contextRunner.withBean(RedisConnectionFactory.class, OtherClientConnectionFactory::create)
			.run((context) -> assertThat(startupFailure(context))
				.contains("The Redis idempotency store supports Lettuce and Jedis, but the RedisConnectionFactory is a")
				.contains("idempotency.store=in-memory"));
	}

	@Test
	void aConnectionFactoryOfAnotherClientAllowsTheInMemoryStoreWhenChosen() {
		this.contextRunner.withBean(RedisConnectionFactory.class, OtherClientConnectionFactory::create)
			.withPropertyValues("idempotency.store=in-memory")
			.run((context) -> assertThat(context).getBean(IdempotencyStore.class)
				.isInstanceOf(InMemoryIdempotencyStore.class));
	}

	/**
	 * A connection factory of a client the Redis store does not support; never connects.
	 */
	private static final class OtherClientConnectionFactory {

		static RedisConnectionFactory create() {
			return (RedisConnectionFactory) java.lang.reflect.Proxy.newProxyInstance(
					IdempotencyAutoConfigurationTests.class.getClassLoader(),
					new Class<?>[] { RedisConnectionFactory.class }, (proxy, method, arguments) -> {
						throw new UnsupportedOperationException(method.getName());
					});
		}

	}

	@Test
	void redisStoreWithoutAConnectionFactoryFailsStartup() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(IdempotencyAutoConfiguration.class, AopAutoConfiguration.class))
			.withConfiguration(AutoConfigurations.of(SpringBootLine.webMvcAutoConfigurations()))
			.withPropertyValues("idempotency.store=redis")
			.run((context) -> assertThat(startupFailure(context))
				.contains("No IdempotencyStore for idempotency.store=redis")
				.contains("RedisConnectionFactory"));
	}

	@Test
	void unknownStoreValueFailsStartupWithAClearMessage() {
		this.contextRunner.withPropertyValues("idempotency.store=memcached")
			.run((context) -> assertThat(startupFailure(context))
				.contains("Failed to bind properties under 'idempotency.store'")
				.contains("memcached"));
	}

	@Test
	void disabledCreatesNothing() {
		this.contextRunner.withPropertyValues("idempotency.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ServletHandlerAdvice.class);
			assertThat(context).doesNotHaveBean(IdempotencyStore.class);
			assertThat(context).doesNotHaveBean("idempotencyFilterRegistration");
		});
	}

	@Test
	void notAWebApplicationGetsTheStoreAndTheDoorOffTheWebButNoSpringMvcDoor() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(IdempotencyAutoConfiguration.class, SpringBootLine.redisAutoConfiguration()))
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(IdempotencyStore.class);
				assertThat(context).hasSingleBean(IdempotentMethodInterceptor.class).hasSingleBean(KeyedMethods.class);
				assertThat(context).doesNotHaveBean(ServletHandlerAdvice.class)
					.doesNotHaveBean(ServletDecider.class)
					.doesNotHaveBean(IdempotencyScopeResolver.class);
			});
	}

	@Test
	void withoutAspectJTheIdempotentMethodsAreStillAdvised() {
		// ReducedClassPathTests runs an application whose class path lacks AspectJ
		this.contextRunner.withClassLoader(new FilteredClassLoader(org.aspectj.weaver.Advice.class)).run((context) -> {
			assertThat(context).hasSingleBean(ServletHandlerAdvice.class);
			assertThat(context).hasBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME);
		});
	}

	@Test
	void withAutoProxyingSwitchedOffTheIdempotentMethodsAreStillAdvised() {
		this.contextRunner.withPropertyValues("spring.aop.auto=false")
			.withUserConfiguration(FineController.class)
			.run((context) -> assertThat(AopUtils.isCglibProxy(context.getBean(FineController.class))).isTrue());
		this.contextRunner.withPropertyValues("spring.aop.auto=false", "spring.aop.proxy-target-class=false")
			.withUserConfiguration(FineController.class)
			.run((context) -> assertThat(AopUtils.isCglibProxy(context.getBean(FineController.class))).isTrue());
	}

	@Test
	void propertiesAreBound() {
		this.contextRunner
			.withPropertyValues("idempotency.ttl=1h", "idempotency.lock-timeout=10s", "idempotency.header-name=X-Key",
					"idempotency.key-prefix=payments", "idempotency.store-failure=fail-open",
					"idempotency.store-timeout=250ms", "idempotency.max-body-size=64KB",
					"idempotency.unstored-statuses=409,429", "idempotency.aspect-order=5",
					"idempotency.filter-order=-5")
			.run((context) -> {
				IdempotencyProperties properties = context.getBean(IdempotencyProperties.class);
				assertThat(properties.getTtl()).isEqualTo(Duration.ofHours(1));
				assertThat(properties.getLockTimeout()).isEqualTo(Duration.ofSeconds(10));
				assertThat(properties.getHeaderName()).isEqualTo("X-Key");
				assertThat(properties.getKeyPrefix()).isEqualTo("payments");
				assertThat(properties.getStoreFailure()).isEqualTo(StoreFailureMode.FAIL_OPEN);
				assertThat(properties.getStoreTimeout()).isEqualTo(Duration.ofMillis(250));
				assertThat(properties.getMaxBodySize().toKilobytes()).isEqualTo(64);
				assertThat(properties.getUnstoredStatuses()).containsExactly(409, 429);
				assertThat(context.getBean(ServletHandlerAdvice.class).getOrder()).isEqualTo(5);
				assertThat(context.getBean("idempotencyFilterRegistration", FilterRegistrationBean.class).getOrder())
					.isEqualTo(-5);
				ResponseStoragePolicy policy = context.getBean(ResponseStoragePolicy.class);
				assertThat(policy.isStorable(408)).isTrue();
				assertThat(policy.isStorable(429)).isFalse();
			});
	}

	@Test
	void aWaitForInProgressIsBoundAndANegativeOneStopsStartup() {
		this.contextRunner.withPropertyValues("idempotency.wait-for-in-progress=5s")
			.run((context) -> assertThat(context.getBean(IdempotencyProperties.class).getWaitForInProgress())
				.isEqualTo(Duration.ofSeconds(5)));
		this.contextRunner.withPropertyValues("idempotency.wait-for-in-progress=-1s")
			.withUserConfiguration(FineController.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains("idempotency.wait-for-in-progress must not be negative"));
	}

	@Test
	void defaultPropertiesMatchTheDocumentedDefaults() {
		this.contextRunner.run((context) -> {
			IdempotencyProperties properties = context.getBean(IdempotencyProperties.class);
			assertThat(properties.isEnabled()).isTrue();
			assertThat(properties.getTtl()).isEqualTo(Duration.ofHours(24));
			assertThat(properties.getLockTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(properties.getWaitForInProgress()).isZero();
			assertThat(properties.getHeaderName()).isEqualTo("Idempotency-Key");
			assertThat(properties.getKeyPrefix()).isEqualTo("idempotency");
			assertThat(properties.getStoreFailure()).isEqualTo(StoreFailureMode.FAIL_CLOSED);
			assertThat(properties.getCompression().getThreshold()).isEqualTo(DataSize.ofBytes(512));
			ResponseStoragePolicy policy = context.getBean(ResponseStoragePolicy.class);
			assertThat(policy.isStorable(200)).isTrue();
			assertThat(policy.isStorable(201)).isTrue();
			assertThat(policy.isStorable(400)).isTrue();
			assertThat(policy.isStorable(404)).isTrue();
			assertThat(policy.isStorable(408)).isFalse();
			assertThat(policy.isStorable(409)).isFalse();
			assertThat(policy.isStorable(425)).isFalse();
			assertThat(policy.isStorable(429)).isFalse();
			assertThat(policy.isStorable(500)).isFalse();
			assertThat(policy.isStorable(503)).isFalse();
		});
	}

	@Test
	void compressionThresholdIsBound() {
		this.contextRunner.withPropertyValues("idempotency.compression.threshold=2KB")
			.run((context) -> assertThat(context.getBean(IdempotencyProperties.class).getCompression().getThreshold())
				.isEqualTo(DataSize.ofKilobytes(2)));
	}

	@Test
	void userBeansWin() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).getBean(IdempotencyStore.class).isSameAs(context.getBean("userStore"));
			assertThat(context).getBean(IdempotencyScopeResolver.class).isSameAs(context.getBean("userScope"));
			assertThat(context).getBean(ResponseStoragePolicy.class).isSameAs(context.getBean("userPolicy"));
			assertThat(context).getBean(IdempotencyObserver.class).isSameAs(context.getBean("userObserver"));
			assertThat(context).getBean(IdempotencyStartup.class).isSameAs(context.getBean("userStartup"));
			assertThat(context).getBean(RedisStoreConnector.class).isSameAs(context.getBean("userConnector"));
		});
	}

	@Test
	void reconnectDelayIsCappedUnlessTheApplicationSetsItsOwn() {
		WebApplicationContextRunner runner = this.contextRunner
			.withConfiguration(AutoConfigurations.of(IdempotencyAdaptersAutoConfiguration.class));
		runner.run((context) -> assertThat(longestReconnectDelay(context)).isEqualTo(Duration.ofSeconds(1)));
		runner.withPropertyValues("idempotency.redis.max-reconnect-delay=2s")
			.run((context) -> assertThat(longestReconnectDelay(context)).isEqualTo(Duration.ofSeconds(2)));
		Class<?> customizerType = SpringBootLine.either(
				"org.springframework.boot.autoconfigure.data.redis.ClientResourcesBuilderCustomizer",
				"org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer");
		Object userCustomizer = Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { customizerType },
				(proxy, method, args) -> method.getName().equals("customize")
						? ((ClientResources.Builder) args[0]).reconnectDelay(Delay.constant(Duration.ofSeconds(7)))
						: method.invoke(this, args));
		runner.withBean("userReconnectDelay", Object.class, () -> userCustomizer)
			.run((context) -> assertThat(longestReconnectDelay(context)).isEqualTo(Duration.ofSeconds(7)));
		runner.withPropertyValues("idempotency.store=in-memory")
			.run((context) -> assertThat(longestReconnectDelay(context)).isEqualTo(Duration.ofSeconds(30)));
	}

	private static Duration longestReconnectDelay(AssertableWebApplicationContext context) {
		return context.getBean(ClientResources.class).reconnectDelay().createDelay(40);
	}

	@Test
	void healthIndicatorJoinsTheReadinessGroupUnlessTheApplicationChoseItsMembers() {
		WebApplicationContextRunner withActuator = this.contextRunner
			.withConfiguration(AutoConfigurations.of(IdempotencyAdaptersAutoConfiguration.class))
			.withConfiguration(AutoConfigurations.of(SpringBootLine.healthAutoConfigurations()))
			.withPropertyValues("idempotency.store=in-memory", "management.endpoint.health.probes.enabled=true");
		withActuator.run((context) -> {
			assertThat(context).hasNotFailed().hasBean("idempotencyHealthIndicator");
			assertThat(isReadinessMember(context, "idempotency")).isTrue();
			assertThat(isReadinessMember(context, "readinessState")).isTrue();
			Object health = invoke(context.getBean("idempotencyHealthIndicator"), "health");
			assertThat(invoke(invoke(health, "getStatus"), "getCode")).isEqualTo("UP");
			assertThat((Map<Object, Object>) invoke(health, "getDetails")).containsEntry("store", "in-memory")
				.containsEntry("entries", 0)
				.containsEntry("capacity", 100_000);
		});
		withActuator.withPropertyValues("management.endpoint.health.group.readiness.include=readinessState")
			.run((context) -> assertThat(isReadinessMember(context, "idempotency")).isFalse());
		withActuator.withPropertyValues("management.health.idempotency.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("idempotencyHealthIndicator"));
	}

	private static boolean isReadinessMember(AssertableWebApplicationContext context, String name) {
		Class<?> groupsType = SpringBootLine.either("org.springframework.boot.actuate.health.HealthEndpointGroups",
				"org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups");
		Object readiness = invoke(context.getBean(groupsType), "get", "readiness");
		return (Boolean) invoke(readiness, "isMember", name);
	}

	/**
	 * Calls a public interface method of a Spring Boot type that moved between the lines.
	 */
	private static Object invoke(Object target, String method, Object... args) {
		for (Class<?> type : org.springframework.util.ClassUtils.getAllInterfacesForClassAsSet(target.getClass())) {
			for (java.lang.reflect.Method candidate : type.getMethods()) {
				if (candidate.getName().equals(method) && candidate.getParameterCount() == args.length
						&& (args.length == 0 || candidate.getParameterTypes()[0] == args[0].getClass())) {
					try {
						return candidate.invoke(target, args);
					}
					catch (ReflectiveOperationException ex) {
						throw new IllegalStateException(ex);
					}
				}
			}
		}
		try {
			return target.getClass().getMethod(method).invoke(target);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void everyBeanOfTheRequestPathBacksOff() {
		this.contextRunner.withUserConfiguration(UserRequestPathBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(ServletDecider.class).isSameAs(context.getBean("userDecider"));
			assertThat(context).getBean(ServletSettler.class).isSameAs(context.getBean("userSettler"));
			assertThat(context).getBean(ServletIdempotentHandlers.class).isSameAs(context.getBean("userMethods"));
			assertThat(context).getBean(ServletHandlerAdvice.class).isSameAs(context.getBean("userAspect"));
			assertThat(context).getBean(ServletHandlerInterceptor.class).isSameAs(context.getBean("userInterceptor"));
			assertThat(context).getBean("idempotencyInterceptorRegistration")
				.isSameAs(UserRequestPathBeans.REGISTRATION);
			assertThat(context).getBean("idempotencyFilterRegistration").isSameAs(UserRequestPathBeans.FILTER);
			assertThat(context).getBean("idempotencyRequestListenerRegistration")
				.isSameAs(UserRequestPathBeans.LISTENER);
		});
	}

	@Test
	void redisStoreUsesThePrimaryOfSeveralConnectionFactories() {
		this.contextRunner.withUserConfiguration(TwoConnectionFactories.class)
			.run((context) -> assertThat(context.getBean(IdempotencyStore.class).getClass().getPackage())
				.isEqualTo(RedisIdempotencyStore.class.getPackage()));
	}

	@Test
	void redisStoreIsNotGuessedAmongSeveralConnectionFactoriesWithoutAPrimary() {
		this.contextRunner.withUserConfiguration(TwoConnectionFactoriesWithoutPrimary.class)
			.withPropertyValues("idempotency.store=redis")
			.run((context) -> assertThat(startupFailure(context))
				.contains("No IdempotencyStore for idempotency.store=redis"));
	}

	@Test
	void severalConnectionFactoriesWithoutAPrimaryNeverFallBackToTheHeap() {
		this.contextRunner.withUserConfiguration(TwoConnectionFactoriesWithoutPrimary.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains("No IdempotencyStore for idempotency.store=(not set)")
				.contains("@Primary"));
	}

	@Test
	void inMemoryCanStillBeChosenNextToSeveralConnectionFactories() {
		this.contextRunner.withUserConfiguration(TwoConnectionFactoriesWithoutPrimary.class)
			.withPropertyValues("idempotency.store=in-memory")
			.run((context) -> assertThat(context).getBean(IdempotencyStore.class)
				.isInstanceOf(InMemoryIdempotencyStore.class));
	}

	@Test
	void idempotentMethodOnABeanThatIsNoControllerStopsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(IdempotentService.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains(IdempotentService.class.getName() + ".charge()")
				.contains("not a Spring MVC handler method"));
	}

	@Test
	void unmappedIdempotentMethodOfAControllerStopsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(UnmappedController.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains(UnmappedController.class.getName() + ".helper()")
				.contains("not a Spring MVC handler method"));
	}

	@Test
	void streamingReturnTypeDeclaredOnAnInterfaceStopsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(InterfaceStreamingController.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains(InterfaceStreamingController.class.getName() + ".stream()")
				.contains("StreamingResponseBody"));
	}

	@Test
	void securityScopeWhenSpringSecurityIsPresent() {
		this.contextRunner.run((context) -> assertThat(context).getBean(IdempotencyScopeResolver.class)
			.isInstanceOf(SecurityContextScopeResolver.class));
	}

	@Test
	void principalScopeWithoutSpringSecurity() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
			.run((context) -> assertThat(context).getBean(IdempotencyScopeResolver.class)
				.isInstanceOf(ServletPrincipalScopeResolver.class));
	}

	@Test
	void micrometerObserverWhenARegistryExists() {
		this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> assertThat(context).getBean(IdempotencyObserver.class)
				.isInstanceOf(MicrometerIdempotencyObserver.class));
	}

	@Test
	void noMicrometerObserverWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).getBean(IdempotencyObserver.class)
				.isSameAs(IdempotencyObserver.NONE));
	}

	@Test
	void streamingReturnTypeStopsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(StreamingController.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains(StreamingController.class.getName() + ".stream()")
				.contains("StreamingResponseBody"));
	}

	@Test
	void emitterReturnTypeStopsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(EmitterController.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains(EmitterController.class.getName() + ".events()")
				.contains("SseEmitter"));
	}

	@Test
	void streamOfValuesStopsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(FluxController.class)
			.run((context) -> assertThat(startupFailure(context)).contains(FluxController.class.getName() + ".flux()")
				.contains("Flux, a stream of values"));
	}

	@Test
	void futureThatSpringMvcDoesNotWaitForStopsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(PlainFutureController.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains(PlainFutureController.class.getName() + ".future()")
				.contains("FutureTask, which Spring MVC does not wait for"));
	}

	@Test
	void asynchronousHandlersStartFine() {
		this.contextRunner.withUserConfiguration(AsynchronousController.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void rawServletResponseStopsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(RawResponseController.class)
			.run((context) -> assertThat(startupFailure(context))
				.contains(RawResponseController.class.getName() + ".raw()")
				.contains("raw servlet response"));
	}

	@Test
	void malformedDurationStopsStartupNamingTheMethod() {
		this.contextRunner.withUserConfiguration(TypoController.class)
			.run((context) -> assertThat(startupFailure(context)).contains(TypoController.class.getName() + ".typo()")
				.contains("ttl = \"24 hours\""));
	}

	@Test
	void replayableControllerStartsFine() {
		this.contextRunner.withUserConfiguration(FineController.class)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static String startupFailure(AssertableWebApplicationContext context) {
		return StartupFailure.of(context);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		@Bean
		IdempotencyStore userStore() {
			return new IdempotencyStore() {
				@Override
				public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
					return ClaimResult.CLAIMED;
				}

				@Override
				public boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
					return true;
				}

				@Override
				public boolean release(String key, String owner) {
					return true;
				}
			};
		}

		@Bean
		IdempotencyStartup userStartup() {
			return new IdempotencyStartup("user", io.github.idempotency.internal.store.StoreConnection.unmanaged(null),
					Duration.ZERO);
		}

		@Bean
		RedisStoreConnector userConnector(LettuceConnectionFactory connectionFactory) {
			return new RedisStoreConnector(connectionFactory, Duration.ofSeconds(1));
		}

		@Bean
		IdempotencyScopeResolver userScope() {
			return (request) -> "tenant";
		}

		@Bean
		ResponseStoragePolicy userPolicy() {
			return (status) -> status == 201;
		}

		@Bean
		IdempotencyObserver userObserver() {
			return new IdempotencyObserver() {
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRequestPathBeans {

		static final WebMvcConfigurer REGISTRATION = new WebMvcConfigurer() {
		};

		static final FilterRegistrationBean<ServletSettlingFilter> FILTER = new FilterRegistrationBean<>();

		static final ServletListenerRegistrationBean<?> LISTENER = new ServletListenerRegistrationBean<>();

		@Bean
		ServletDecider userDecider() {
			return new ServletDecider(new ClaimSequence(new InMemoryIdempotencyStore(10), IdempotencyObserver.NONE,
					StoreFailureMode.FAIL_OPEN), (request) -> "", "X-Key", "user", DataSize.ofKilobytes(1));
		}

		@Bean
		ServletSettler userSettler() {
			return new ServletSettler((status) -> false, DataSize.ofKilobytes(1));
		}

		@Bean
		ServletIdempotentHandlers userMethods(ListableBeanFactory beanFactory) {
			return new ServletIdempotentHandlers(
					new IdempotentDurations(Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ZERO),
					beanFactory.getBeanProvider(RequestMappingInfoHandlerMapping.class), beanFactory);
		}

		@Bean
		static ServletHandlerAdvice userAspect() {
			return new ServletHandlerAdvice(7);
		}

		@Bean
		ServletHandlerInterceptor userInterceptor(ServletIdempotentHandlers methods, ServletDecider decider,
				ServletSettler settler) {
			return new ServletHandlerInterceptor(methods, decider, settler);
		}

		@Bean
		WebMvcConfigurer idempotencyInterceptorRegistration() {
			return REGISTRATION;
		}

		@Bean
		FilterRegistrationBean<ServletSettlingFilter> idempotencyFilterRegistration() {
			return FILTER;
		}

		@Bean
		ServletListenerRegistrationBean<?> idempotencyRequestListenerRegistration() {
			return LISTENER;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoConnectionFactories {

		@Bean
		@Primary
		LettuceConnectionFactory primaryConnectionFactory() {
			return new LettuceConnectionFactory();
		}

		@Bean
		LettuceConnectionFactory otherConnectionFactory() {
			return new LettuceConnectionFactory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoConnectionFactoriesWithoutPrimary {

		@Bean
		LettuceConnectionFactory oneConnectionFactory() {
			return new LettuceConnectionFactory();
		}

		@Bean
		LettuceConnectionFactory otherConnectionFactory() {
			return new LettuceConnectionFactory();
		}

	}

	static class IdempotentService {

		@Idempotent
		String charge() {
			return "charged";
		}

	}

	@RestController
	static class UnmappedController {

		@PostMapping("/mapped")
		String mapped() {
			return "x";
		}

		@Idempotent
		String helper() {
			return "x";
		}

	}

	interface StreamingApi {

		@PostMapping("/interface-stream")
		@Idempotent
		StreamingResponseBody stream();

	}

	@RestController
	static class InterfaceStreamingController implements StreamingApi {

		@Override
		public StreamingResponseBody stream() {
			return (out) -> out.write(1);
		}

	}

	@RestController
	static class StreamingController {

		@PostMapping("/stream")
		@Idempotent
		StreamingResponseBody stream() {
			return (out) -> out.write(1);
		}

	}

	@RestController
	static class EmitterController {

		@PostMapping("/events")
		@Idempotent
		SseEmitter events() {
			return new SseEmitter();
		}

	}

	@RestController
	static class AsynchronousController {

		@PostMapping("/mono")
		@Idempotent
		Mono<String> mono() {
			return Mono.just("x");
		}

		@PostMapping("/future")
		@Idempotent
		CompletableFuture<String> future() {
			return CompletableFuture.completedFuture("x");
		}

		@PostMapping("/deferred")
		@Idempotent
		DeferredResult<String> deferred() {
			return new DeferredResult<>();
		}

		@PostMapping("/callable")
		@Idempotent
		Callable<String> callable() {
			return () -> "x";
		}

	}

	@RestController
	static class FluxController {

		@PostMapping("/flux")
		@Idempotent
		Flux<String> flux() {
			return Flux.just("x");
		}

	}

	@RestController
	static class PlainFutureController {

		@PostMapping("/future")
		@Idempotent
		FutureTask<String> future() {
			return new FutureTask<>(() -> "x");
		}

	}

	@RestController
	static class RawResponseController {

		@PostMapping("/raw")
		@Idempotent
		void raw(jakarta.servlet.http.HttpServletResponse response) {
		}

	}

	@RestController
	static class TypoController {

		@PostMapping("/typo")
		@Idempotent(ttl = "24 hours")
		String typo() {
			return "x";
		}

	}

	@RestController
	static class FineController {

		@PostMapping("/fine")
		@Idempotent(ttl = "1h", lockTimeout = "5s")
		ResponseEntity<String> fine() {
			return ResponseEntity.ok("x");
		}

	}

}
