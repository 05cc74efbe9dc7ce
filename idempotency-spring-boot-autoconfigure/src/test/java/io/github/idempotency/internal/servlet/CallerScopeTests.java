package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.SecuredTestApplication;
import io.github.idempotency.testsupport.TestRedis;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys belong to the authenticated caller (R3): two users sending the same key get their
 * own results, and neither can receive the other's stored response.
 */
class CallerScopeTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	private static RunningApp app;

	@BeforeAll
	static void start() {
		TestRedis redis = TestRedis.shared();
		app = RunningApp.start(SecuredTestApplication.class, "idempotency.store=redis",
				"spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port());
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	private static HttpResponse<byte[]> post(String user, String key) {
		return app.http()
			.post("/orders", ORDER,
					Map.of("Authorization", "Basic " + base64(user + ":" + user), "Idempotency-Key", key));
	}

	@Test
	void sameKeyFromTwoUsersRunsOncePerUserAndEachGetsTheirOwnResult() {
		app.executions().reset();
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> alice = post("alice", key);
		HttpResponse<byte[]> bob = post("bob", key);
		HttpResponse<byte[]> aliceAgain = post("alice", key);
		HttpResponse<byte[]> bobAgain = post("bob", key);

		assertThat(alice.statusCode()).isEqualTo(201);
		assertThat(bob.statusCode()).isEqualTo(201);
		assertThat(bob.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(body(bob)).isNotEqualTo(body(alice));
		assertThat(body(aliceAgain)).isEqualTo(body(alice));
		assertThat(body(bobAgain)).isEqualTo(body(bob));
		assertThat(aliceAgain.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(bobAgain.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(app.executions().count("orders")).isEqualTo(2);
	}

	@Test
	void unauthenticatedRequestsNeverReachTheStore() {
		app.executions().reset();
		long storeCalls = storeCalls();
		HttpResponse<byte[]> anonymous = app.http().post("/orders", UUID.randomUUID().toString(), ORDER);
		HttpResponse<byte[]> wrongPassword = app.http()
			.post("/orders", ORDER, Map.of("Authorization", "Basic " + base64("alice:bob"), "Idempotency-Key",
					UUID.randomUUID().toString()));
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(wrongPassword.statusCode()).isEqualTo(401);
		assertThat(storeCalls()).as("store calls").isEqualTo(storeCalls);
		assertThat(app.executions().count("orders")).isZero();

		assertThat(post("alice", UUID.randomUUID().toString()).statusCode()).isEqualTo(201);
		assertThat(storeCalls()).as("store calls of an authenticated request").isEqualTo(storeCalls + 2);
	}

	private static long storeCalls() {
		return app.bean(MeterRegistry.class).find("idempotency.store").timers().stream().mapToLong(Timer::count).sum();
	}

	private static String base64(String credentials) {
		return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

}
