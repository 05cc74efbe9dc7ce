package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.idempotency.testapp.Gate;
import io.github.idempotency.testapp.RequestCounts;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testsupport.TestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each outcome increments {@code idempotency.requests} with a bounded endpoint tag, store
 * calls are timed by operation, and the logs never show a client's key or body (R19).
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTests {

	private static final String SECRET_BODY = "{\"card\":\"4111-secret-body\"}";

	private static RunningApp app;

	@BeforeAll
	static void start() {
		TestRedis redis = TestRedis.shared();
		app = RunningApp.start("idempotency.store=redis", "spring.data.redis.host=" + redis.host(),
				"spring.data.redis.port=" + redis.port(), "logging.level.io.github.idempotency=DEBUG");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void everyOutcomeIsCountedWithTheHandlerMethodAsEndpoint() throws Exception {
		String key = UUID.randomUUID().toString();
		double executed = count("executed");
		double replayed = count("replayed");
		double mismatch = count("mismatch");
		double rejected = count("rejected");
		double conflict = count("conflict");

		app.http().post("/orders", key, "{\"item\":\"a\"}");
		app.http().post("/orders", key, "{\"item\":\"a\"}");
		app.http().post("/orders", key, "{\"item\":\"b\"}");
		app.http().post("/orders", null, "{\"item\":\"a\"}");
		app.http().post("/orders", "k".repeat(300), "{\"item\":\"a\"}");

		Gate gate = app.bean(Gate.class);
		gate.close();
		String slowKey = UUID.randomUUID().toString();
		CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture
			.supplyAsync(() -> app.http().post("/slow", slowKey, "{}"));
		gate.awaitEntered();
		assertThat(app.http().post("/slow", slowKey, "{}").statusCode()).isEqualTo(409);
		gate.open();
		first.get();

		assertThat(count("executed") - executed).isEqualTo(2);
		assertThat(count("replayed") - replayed).isEqualTo(1);
		assertThat(count("mismatch") - mismatch).isEqualTo(1);
		assertThat(count("rejected") - rejected).isEqualTo(2);
		assertThat(count("conflict") - conflict).isEqualTo(1);
		assertThat(registry().find("idempotency.requests").tag("endpoint", "TestController#createOrder").counters())
			.isNotEmpty();
		assertThat(registry().find("idempotency.requests").counters())
			.allSatisfy((counter) -> assertThat(counter.getId().getTag("endpoint")).matches("\\w+#\\w+"));
	}

	@Test
	void storeCallsAreTimedByOperation() {
		app.http().post("/orders", UUID.randomUUID().toString(), "{}");
		app.http().post("/unavailable-once", UUID.randomUUID().toString(), "{}");
		for (String operation : new String[] { "claim", "complete", "release" }) {
			Timer timer = registry().find("idempotency.store").tag("operation", operation).timer();
			assertThat(timer).as(operation).isNotNull();
			assertThat(timer.count()).as(operation).isPositive();
		}
	}

	@Test
	void logsShowTheHashedKeyButNeverTheClientKeyOrBody(CapturedOutput output) {
		String clientKey = "client-key-" + UUID.randomUUID();
		app.http().post("/orders", clientKey, SECRET_BODY);
		app.http().post("/orders", clientKey, SECRET_BODY);
		assertThat(output.getOut()).contains("Executed TestController#createOrder for key idempotency:")
			.contains("Replayed TestController#createOrder for key idempotency:")
			.doesNotContain(clientKey)
			.doesNotContain("4111-secret-body");
	}

	private static MeterRegistry registry() {
		return app.bean(MeterRegistry.class);
	}

	private static double count(String outcome) {
		return RequestCounts.of(registry(), outcome);
	}

}
