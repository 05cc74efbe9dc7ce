package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.util.UUID;

import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.TestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An observer that throws never changes a decision: the claim succeeds, the response is
 * stored and replayed, and the failure is logged, not repeated for every request.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObserverFailureTests {

	private static final String FAILURE = "observer failure for the test";

	private static RunningApp app;

	@BeforeAll
	static void start() {
		app = RunningApp.start(ThrowingObserverApplication.class, "idempotency.store=in-memory");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void throwingObserverChangesNoDecision(CapturedOutput output) {
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> first = app.http().post("/orders", key, "{\"item\":\"a\"}");
		HttpResponse<byte[]> replay = app.http().post("/orders", key, "{\"item\":\"a\"}");
		HttpResponse<byte[]> mismatch = app.http().post("/orders", key, "{\"item\":\"b\"}");
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(replay.body()).isEqualTo(first.body());
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(mismatch.statusCode()).isEqualTo(422);
		assertThat(body(app.http().post("/unavailable-once", key + "-2", "{}"))).isEqualTo("attempt 1");
		assertThat(body(app.http().post("/unavailable-once", key + "-2", "{}"))).isEqualTo("attempt 2");
		assertThat(app.executions().count("orders")).isEqualTo(1);

		int warnings = occurrences(output.getOut(), FAILURE);
		assertThat(warnings).isPositive();
		app.http().post("/orders", UUID.randomUUID().toString(), "{}");
		app.http().post("/orders", UUID.randomUUID().toString(), "{}");
		assertThat(occurrences(output.getOut(), FAILURE)).as("logged again for later requests").isEqualTo(warnings);
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	@Configuration(proxyBeanMethods = false)
	@Import(TestApplication.class)
	static class ThrowingObserverApplication {

		@Bean
		IdempotencyObserver throwingObserver() {
			return new IdempotencyObserver() {

				@Override
				public void onOutcome(Outcome outcome, String endpoint) {
					throw new IllegalStateException(FAILURE);
				}

				@Override
				public void onStoreCall(StoreOperation operation, long nanos, boolean failed) {
					throw new IllegalStateException(FAILURE);
				}

			};
		}

	}

}
