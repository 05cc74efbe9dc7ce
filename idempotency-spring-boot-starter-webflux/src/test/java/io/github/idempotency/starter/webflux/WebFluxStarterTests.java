package io.github.idempotency.starter.webflux;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.github.idempotency.starter.webflux.app.ReactivePaymentsApplication;
import io.github.idempotency.testapp.RunningProcessApp;
import io.github.idempotency.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application whose class path is exactly what the WebFlux starter brings (and the
 * application's own classes) starts in a JVM of its own on Netty, without Spring MVC,
 * Tomcat or the servlet API, and its endpoint is idempotent on the Redis store.
 */
class WebFluxStarterTests {

	private static final String PAYMENT = "{\"amount\":1250}";

	@Test
	void theStarterAloneServesAnIdempotentReactiveEndpointOnNettyAndRedis() throws Exception {
		List<String> classPath = starterClassPath();
		assertThat(jarNames(classPath)).anyMatch((name) -> name.startsWith("spring-webflux-"))
			.anyMatch((name) -> name.startsWith("reactor-netty-http-"))
			.anyMatch((name) -> name.startsWith("spring-data-redis-"))
			.anyMatch((name) -> name.startsWith("aspectjweaver-"))
			.anyMatch((name) -> name.startsWith("idempotency-spring-boot-autoconfigure"))
			.noneMatch((name) -> name.startsWith("spring-webmvc-"))
			.noneMatch((name) -> name.startsWith("tomcat-"))
			.noneMatch((name) -> name.startsWith("jakarta.servlet-api-"));
		String applicationClassPath = String.join(File.pathSeparator, classPath) + File.pathSeparator + Path
			.of(ReactivePaymentsApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		try (RedisServerProcess redis = RedisServerProcess.start();
				RunningProcessApp app = RunningProcessApp.start(ReactivePaymentsApplication.class, applicationClassPath,
						RedisServerProcess.freePort(), List.of(), "--spring.data.redis.host=" + redis.host(),
						"--spring.data.redis.port=" + redis.port())) {
			String key = UUID.randomUUID().toString();
			HttpResponse<byte[]> first = app.http().post("/payments", key, PAYMENT);
			HttpResponse<byte[]> replay = app.http().post("/payments", key, PAYMENT);
			HttpResponse<byte[]> unkeyed = app.http().post("/payments", null, PAYMENT);

			assertThat(first.statusCode()).as(body(first)).isEqualTo(201);
			assertThat(replay.statusCode()).isEqualTo(201);
			assertThat(replay.body()).isEqualTo(first.body());
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
			assertThat(unkeyed.statusCode()).isEqualTo(400);
			assertThat(body(unkeyed)).contains("missing-key");
			HttpResponse<byte[]> runs = app.http().send(HttpRequest.newBuilder(app.http().uri("/runs")).GET().build());
			assertThat(body(runs)).isEqualTo("1");
			assertThat(app.output()).contains("Netty started on port")
				.contains("Idempotency records go to Redis (standalone, ")
				.doesNotContain("Tomcat");
		}
	}

	/** What Maven resolved for the starter at run time, written by the build. */
	private static List<String> starterClassPath() throws IOException {
		Path file = Path.of("target", "starter-class-path.txt");
		assertThat(file).as("written by maven-dependency-plugin in generate-test-resources").exists();
		return Arrays.asList(Files.readString(file).strip().split(File.pathSeparator));
	}

	private static List<String> jarNames(List<String> classPath) {
		return classPath.stream().map((entry) -> Path.of(entry).getFileName().toString()).toList();
	}

}
