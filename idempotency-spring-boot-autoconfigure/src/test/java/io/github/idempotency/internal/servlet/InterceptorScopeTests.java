package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.TenantTestApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key is claimed after the application's own Spring MVC interceptors: one that names
 * the caller scopes the key (R3), one that refuses the request leaves the key unclaimed.
 */
class InterceptorScopeTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	private static RunningApp app;

	@BeforeAll
	static void start() {
		app = RunningApp.start(TenantTestApplication.class, "idempotency.store=in-memory");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	private static HttpResponse<byte[]> post(String tenant, String key) {
		return app.http()
			.post("/orders", ORDER, (tenant != null) ? Map.of("X-Tenant", tenant, "Idempotency-Key", key)
					: Map.of("Idempotency-Key", key));
	}

	@Test
	void callerNamedByAnInterceptorOfTheApplicationScopesTheKey() {
		app.executions().reset();
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> acme = post("acme", key);
		HttpResponse<byte[]> globex = post("globex", key);
		assertThat(acme.statusCode()).isEqualTo(201);
		assertThat(globex.statusCode()).isEqualTo(201);
		assertThat(globex.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(body(globex)).isNotEqualTo(body(acme));
		assertThat(post("acme", key).body()).isEqualTo(acme.body());
		assertThat(app.executions().count("orders")).isEqualTo(2);
	}

	@Test
	void requestRefusedByAnInterceptorOfTheApplicationClaimsNothing() {
		app.executions().reset();
		String key = UUID.randomUUID().toString();
		assertThat(post(null, key).statusCode()).isEqualTo(401);
		assertThat(post("acme", key).statusCode()).isEqualTo(201);
		assertThat(app.executions().count("orders")).isEqualTo(1);
	}

}
