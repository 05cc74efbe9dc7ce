package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.util.UUID;

import io.github.idempotency.testapp.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without Spring Boot's error page the container answers an error a handler sent by
 * itself, outside the filter chain: the response cannot be stored, so the key is released
 * at once and the retry runs instead of waiting for the lock timeout.
 */
class WithoutErrorPageTests {

	private static RunningApp app;

	@BeforeAll
	static void start() {
		app = RunningApp.start("idempotency.store=in-memory",
				"spring.autoconfigure.exclude="
						+ "org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration,"
						+ "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration");
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void errorAnsweredByTheContainerReleasesTheKey() {
		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> first = app.http().post("/errors/response-status", key, "{}");
		HttpResponse<byte[]> retry = app.http().post("/errors/response-status", key, "{}");
		assertThat(first.statusCode()).isEqualTo(404);
		assertThat(retry.statusCode()).isEqualTo(404);
		assertThat(retry.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(app.executions().count("response-status")).isEqualTo(2);
	}

}
