package io.github.idempotency.web;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.SecuredTestApplication;
import io.github.idempotency.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys belong to the authenticated caller (R3): two users sending the same key get their own
 * results, and neither can receive the other's stored response.
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
		String credentials = Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
		return app.http()
			.post("/orders", ORDER, Map.of("Authorization", "Basic " + credentials, "Idempotency-Key", key));
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
		HttpResponse<byte[]> anonymous = app.http().post("/orders", UUID.randomUUID().toString(), ORDER);
		assertThat(anonymous.statusCode()).isEqualTo(401);
	}

}
