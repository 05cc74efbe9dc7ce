package io.github.idempotency.internal.method;

import java.time.Duration;
import java.util.UUID;

import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Redis killed and frozen under idempotent service methods: fail closed throws the
 * store's exception without running the method (a listener container redelivers later),
 * fail open runs it and counts it; both recover without help.
 */
class MethodStoreFailureTests {

	private static RedisServerProcess redis;

	private static ConfigurableApplicationContext failClosed;

	private static ConfigurableApplicationContext failOpen;

	@BeforeAll
	static void start() {
		redis = RedisServerProcess.start();
		failClosed = MethodTestApplication.start(redis.storeSettings("fail-closed"));
		failOpen = MethodTestApplication.start(redis.storeSettings("fail-open"));
	}

	@AfterAll
	static void stop() {
		failClosed.close();
		failOpen.close();
		redis.close();
	}

	@AfterEach
	void redisIsBackAndTheMethodsRecoverByThemselves() {
		redis.recover();
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { failClosed, failOpen }) {
			String id = UUID.randomUUID().toString();
			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptionsInstanceOf(IdempotencyStoreException.class)
				.until(() -> context.getBean(ReceiptService.class).text(id) != null);
		}
	}

	@Test
	void redisKilledFailsClosedWithTheStoreExceptionAndNothingRuns() {
		redis.kill();
		String id = UUID.randomUUID().toString();
		assertThatExceptionOfType(IdempotencyStoreException.class)
			.isThrownBy(() -> failClosed.getBean(ReceiptService.class).text(id));
		assertThat(failClosed.getBean(Calls.class).count("text", id)).isZero();
	}

	@Test
	void redisFrozenFailsClosedWithinTheStoreTimeout() {
		redis.pause();
		String id = UUID.randomUUID().toString();
		long started = System.nanoTime();
		assertThatExceptionOfType(IdempotencyStoreException.class)
			.isThrownBy(() -> failClosed.getBean(ReceiptService.class).text(id));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(failClosed.getBean(Calls.class).count("text", id)).isZero();
	}

	@Test
	void redisKilledFailsOpenByRunningTheMethodAndCountingIt() {
		redis.kill();
		String id = UUID.randomUUID().toString();
		double before = failOpenCount();
		assertThat(failOpen.getBean(ReceiptService.class).text(id)).isEqualTo("text ünïcødé 1");
		assertThat(failOpen.getBean(ReceiptService.class).text(id)).isEqualTo("text ünïcødé 2");
		assertThat(failOpenCount() - before).isEqualTo(2);
	}

	private static double failOpenCount() {
		var counter = failOpen.getBean(MeterRegistry.class)
			.find("idempotency.requests")
			.tag("outcome", "fail_open")
			.tag("endpoint", "ReceiptService#text")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
