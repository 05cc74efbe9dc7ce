package io.github.idempotency.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import io.github.idempotency.testapp.RunningProcessApp;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messages that really come twice, on a real broker, with
 * {@code @Idempotent(key = "#paymentId")} listeners and the settings the documentation
 * recommends (the starter's defaults): each scenario counts how often the business effect
 * really happened. Each broker runs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ListenerContract {

	static final Duration WAIT = Duration.ofSeconds(60);

	RedisServerProcess redis;

	StringRedisTemplate effects;

	private LettuceConnectionFactory effectsConnection;

	private ConfigurableApplicationContext consumers;

	/**
	 * @return the settings that connect an application to this broker, as
	 * {@code name=value}
	 */
	abstract List<String> brokerSettings();

	/** Publishes one message. */
	abstract void publish(String paymentId);

	/**
	 * Publishes the same message twice, so that two consumers get one copy each at once.
	 */
	abstract void publishToTwoConsumers(String paymentId);

	@BeforeAll
	void startRedisAndConsumers() {
		this.redis = RedisServerProcess.start();
		this.effectsConnection = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(this.redis.host(), this.redis.port()));
		this.effectsConnection.afterPropertiesSet();
		this.effectsConnection.start();
		this.effects = new StringRedisTemplate(this.effectsConnection);
		this.consumers = start();
		awaitConsumersListening(this.consumers);
	}

	/**
	 * Waits until every consumer of the application listens (Kafka: has its partitions),
	 * so that the first message a test publishes already meets every consumer.
	 * @param consumers the running consumers
	 */
	abstract void awaitConsumersListening(ConfigurableApplicationContext consumers);

	@AfterAll
	void stopConsumersAndRedis() {
		if (this.consumers != null) {
			this.consumers.close();
		}
		this.effectsConnection.destroy();
		this.redis.close();
		stopBroker();
	}

	/**
	 * Releases the broker's resources, once every consumer of the test class has stopped.
	 */
	abstract void stopBroker();

	/**
	 * Starts consumers in this JVM.
	 * @param extra further {@code name=value} settings
	 * @return the running consumers
	 */
	ConfigurableApplicationContext start(String... extra) {
		return startWith(settings(extra));
	}

	/**
	 * Starts consumers in this JVM.
	 * @param settings every {@code name=value} setting
	 * @return the running consumers
	 */
	static ConfigurableApplicationContext startWith(List<String> settings) {
		return new SpringApplicationBuilder(ListenerTestApplication.class).web(WebApplicationType.NONE)
			.properties(settings.toArray(String[]::new))
			.run();
	}

	/**
	 * Starts consumers in a JVM of their own, which a test can kill.
	 * @param settings every {@code name=value} setting
	 * @return the running process
	 */
	static RunningProcessApp startProcess(List<String> settings) {
		return RunningProcessApp.start(ListenerTestApplication.class, System.getProperty("java.class.path"),
				RedisServerProcess.freePort(), List.of(),
				settings.stream()
					.filter((setting) -> !setting.startsWith("spring.main.banner-mode="))
					.map((setting) -> "--" + setting)
					.toArray(String[]::new));
	}

	/** Every setting of a consumer application: the broker, the store, the test's own. */
	List<String> settings(String... extra) {
		List<String> settings = new ArrayList<>(brokerSettings());
		settings.addAll(List.of("spring.main.banner-mode=off", "idempotency.store=redis",
				"spring.data.redis.host=" + this.redis.host(), "spring.data.redis.port=" + this.redis.port()));
		settings.addAll(List.of(extra));
		return settings;
	}

	long effects(String listener, String paymentId) {
		return Effects.count(this.effects, "effects", listener, paymentId);
	}

	long attempts(String listener, String paymentId) {
		return Effects.count(this.effects, "attempts", listener, paymentId);
	}

	long started(String listener, String paymentId) {
		return Effects.count(this.effects, "started", listener, paymentId);
	}

	static double outcomes(ConfigurableApplicationContext context, String outcome, String endpoint) {
		Counter counter = context.getBean(MeterRegistry.class)
			.find("idempotency.requests")
			.tag("outcome", outcome)
			.tag("endpoint", endpoint)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** The endpoint tag of the receipts listener. */
	abstract String receiptsEndpoint();

	static String newId(String prefix) {
		return prefix + UUID.randomUUID();
	}

	/**
	 * Kills a consumer JVM after the effect of a {@code hang-…} message started and
	 * before the broker learnt it was done; another consumer gets the message and runs it
	 * once the dead consumer's claim expired: the effect happens once, as the first run
	 * had not finished.
	 * @param settings the consumers' settings
	 * @param publish publishes the message, once the doomed consumer listens
	 */
	void assertAKilledConsumersMessageRunsOnceElsewhere(List<String> settings, Consumer<String> publish) {
		String id = newId("hang-");
		RunningProcessApp doomed = startProcess(settings);
		try {
			publish.accept(id);
			await().atMost(WAIT).until(() -> started("receipts", id) == 1);
			try (ConfigurableApplicationContext survivor = startWith(settings)) {
				doomed.kill();
				Effects.release(this.effects, id, 1);
				await().atMost(WAIT).until(() -> effects("receipts", id) == 1);
				assertThat(started("receipts", id)).as("the killed run and the one after it").isEqualTo(2);
			}
		}
		finally {
			doomed.close();
		}
		assertThat(effects("receipts", id)).isEqualTo(1);
	}

	@Test
	void theSameMessagePublishedThreeTimesHasOneEffectAndTwoReplays() {
		String id = newId("pay-");
		double replayed = outcomes(this.consumers, "replayed", receiptsEndpoint());
		for (int i = 0; i < 3; i++) {
			publish(id);
		}
		await().atMost(WAIT).until(() -> outcomes(this.consumers, "replayed", receiptsEndpoint()) - replayed >= 2);
		assertThat(effects("receipts", id)).isEqualTo(1);
		assertThat(attempts("receipts", id)).isEqualTo(1);
	}

	@Test
	void twoListenersOfOneMessageHaveOneEffectEach() {
		String id = newId("pay-");
		publish(id);
		publish(id);
		await().atMost(WAIT).until(() -> effects("receipts", id) == 1 && effects("audit", id) == 1);
		await().atMost(WAIT).until(() -> attempts("receipts", id) == 1 && attempts("audit", id) == 1);
		assertThat(effects("receipts", id)).isEqualTo(1);
		assertThat(effects("audit", id)).isEqualTo(1);
	}

	@Test
	void aRedeliveryWhileTheFirstDeliveryRunsIsRetriedAndEndsAsAReplay() {
		String id = newId("slow-");
		double conflicts = outcomes(this.consumers, "conflict", receiptsEndpoint());
		double replayed = outcomes(this.consumers, "replayed", receiptsEndpoint());
		publishToTwoConsumers(id);
		await().atMost(WAIT)
			.until(() -> started("receipts", id) == 1
					&& outcomes(this.consumers, "conflict", receiptsEndpoint()) - conflicts >= 2);
		Effects.release(this.effects, id, 2);
		await().atMost(WAIT).until(() -> outcomes(this.consumers, "replayed", receiptsEndpoint()) - replayed >= 1);
		assertThat(effects("receipts", id)).isEqualTo(1);
		assertThat(attempts("receipts", id)).isEqualTo(1);
		assertThat(started("receipts", id)).isEqualTo(1);
	}

	@Test
	void aListenerThatFailsOnItsFirstDeliveryHasOneEffectAndNothingStoredForTheFailure() {
		String id = newId("fail-once-");
		publish(id);
		await().atMost(WAIT).until(() -> effects("receipts", id) == 1);
		await().atMost(WAIT).until(() -> effects("audit", id) == 1);
		assertThat(attempts("receipts", id)).as("the failed delivery, then one that ran again").isEqualTo(2);
		assertThat(attempts("audit", id)).isEqualTo(2);
	}

}
