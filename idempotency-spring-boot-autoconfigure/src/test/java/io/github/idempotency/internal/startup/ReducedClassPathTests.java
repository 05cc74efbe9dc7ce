package io.github.idempotency.internal.startup;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.idempotency.internal.reactive.app.ReactiveTestApplication;
import io.github.idempotency.testapp.MinimalApplication;
import io.github.idempotency.testapp.RunningProcessApp;
import io.github.idempotency.testapp.TestApplication;
import io.github.idempotency.testsupport.RedisCluster;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.github.idempotency.testsupport.TestClassPath;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Applications whose class path really lacks an optional library start and keep their
 * promise, each in a freshly started JVM: Jedis without Lettuce (standalone and Cluster),
 * Lettuce without Jedis, a WebFlux application without Spring MVC or a servlet container
 * (and its OpenAPI document from springdoc's WebFlux module), and an application without
 * Micrometer, Actuator, Spring Security, AspectJ and Spring WebFlux (with the client half
 * on). A warm test JVM that has every library cannot show a class that fails to load.
 */
class ReducedClassPathTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	/**
	 * What a Jedis-only build lacks: Lettuce (Netty and Reactor stay, other libraries of
	 * the tests use them).
	 */
	private static final String WITHOUT_LETTUCE = TestClassPath.without(List.of("lettuce-core-"));

	@Test
	void jedisWithoutLettuceServesTwoInstancesSharingOneKey() {
		assertLacks(WITHOUT_LETTUCE, "io.lettuce.core.RedisClient");
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			String[] settings = { "--spring.data.redis.client-type=jedis", "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port() };
			assertTwoInstancesShareKeys(WITHOUT_LETTUCE, settings);
		}
	}

	@Test
	void jedisWithoutLettuceServesARedisCluster() {
		try (RedisCluster cluster = RedisCluster.start(3);
				RunningProcessApp app = start(TestApplication.class, WITHOUT_LETTUCE,
						"--spring.data.redis.client-type=jedis",
						"--spring.data.redis.cluster.nodes=" + String.join(",", cluster.nodeAddresses()))) {
			String key = UUID.randomUUID().toString();
			HttpResponse<byte[]> first = app.http().post("/orders", key, ORDER);
			HttpResponse<byte[]> replay = app.http().post("/orders", key, ORDER);

			assertThat(first.statusCode()).as(body(first)).isEqualTo(201);
			assertReplayOf(first, replay);
			assertThat(executions(app)).isEqualTo(1);
			assertThat(app.output()).contains("Idempotency records go to Redis (Cluster, ");
		}
	}

	@Test
	void lettuceWithoutJedisServesTwoInstancesSharingOneKey() {
		String withoutJedis = TestClassPath.without(List.of("jedis-"), "commons-pool2-");
		assertLacks(withoutJedis, "redis.clients.jedis.Jedis");
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			assertTwoInstancesShareKeys(withoutJedis, "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port());
		}
	}

	@Test
	void withoutMicrometerActuatorSecurityAspectJAndWebFluxTheEndpointsStayIdempotent() {
		String bare = TestClassPath.without(
				List.of("micrometer-core-", "spring-boot-actuator-", "spring-security-core-", "aspectjweaver-"),
				"micrometer-jakarta9-", "micrometer-registry-", "spring-boot-actuator-autoconfigure-",
				"spring-boot-starter-actuator-", "spring-boot-health-", "spring-boot-micrometer-", "spring-security-",
				"spring-boot-starter-security-", "spring-boot-security-", "spring-webflux-", "spring-boot-webclient-",
				"reactor-netty-");
		assertLacks(bare, "io.micrometer.core.instrument.MeterRegistry");
		assertLacks(bare, "org.springframework.boot.actuate.health.HealthIndicator");
		assertLacks(bare, "org.springframework.security.core.context.SecurityContextHolder");
		assertLacks(bare, "org.aspectj.weaver.Advice");
		assertLacks(bare, "org.springframework.web.reactive.function.client.WebClient");
		try (RunningProcessApp app = start(MinimalApplication.class, bare, "--idempotency.store=in-memory",
				"--idempotency.client.enabled=true")) {
			String key = UUID.randomUUID().toString();
			HttpResponse<byte[]> first = app.http().post("/orders", key, ORDER);
			HttpResponse<byte[]> replay = app.http().post("/orders", key, ORDER);
			HttpResponse<byte[]> unkeyed = app.http().post("/orders", null, ORDER);

			assertThat(first.statusCode()).as(body(first)).isEqualTo(201);
			assertReplayOf(first, replay);
			assertThat(unkeyed.statusCode()).isEqualTo(400);
			assertThat(body(unkeyed)).contains("missing-key");
			assertThat(executions(app)).isEqualTo(1);
			assertThat(app.output()).contains("Idempotency records go to the heap of this JVM");
		}
	}

	@Test
	void aWebFluxApplicationWithoutSpringMvcOrAServletContainerGetsTheWebFluxDoorOnNetty() {
		String reactive = TestClassPath.without(List.of("spring-webmvc-", "tomcat-embed-core-"), "tomcat-embed-",
				"spring-boot-starter-tomcat-", "spring-boot-starter-web-", "spring-boot-webmvc-", "spring-boot-tomcat-",
				"spring-boot-servlet-", "springdoc-openapi-starter-webmvc-");
		assertLacks(reactive, "org.springframework.web.servlet.DispatcherServlet");
		assertLacks(reactive, "jakarta.servlet.Servlet");
		try (RunningProcessApp app = start(ReactiveTestApplication.class, reactive, "--idempotency.store=in-memory")) {
			String key = UUID.randomUUID().toString();
			String payment = "{\"account\":\"acme\",\"amount\":1250}";
			HttpResponse<byte[]> first = app.http().post("/payments", key, payment);
			HttpResponse<byte[]> replay = app.http().post("/payments", key, payment);
			HttpResponse<byte[]> unkeyed = app.http().post("/payments", null, payment);

			assertThat(first.statusCode()).as(body(first)).isEqualTo(201);
			assertReplayOf(first, replay);
			assertThat(unkeyed.statusCode()).isEqualTo(400);
			assertThat(body(unkeyed)).contains("missing-key");
			HttpResponse<byte[]> runs = app.http()
				.send(HttpRequest.newBuilder(app.http().uri("/runs/payments")).GET().build());
			assertThat(body(runs).trim()).isEqualTo("1");
			assertThat(app.output()).contains("Netty started").doesNotContain("Tomcat");
			HttpResponse<byte[]> document = app.http()
				.send(HttpRequest.newBuilder(app.http().uri("/v3/api-docs")).GET().build());
			assertThat(document.statusCode()).as(body(document)).isEqualTo(200);
			assertThat(body(document)).as("springdoc's WebFlux document shows the key header and the problems")
				.contains("\"name\":\"Idempotency-Key\"")
				.contains("https://idempotency.github.io/problems/key-reused")
				.contains("Idempotent-Replayed");
		}
	}

	private static void assertTwoInstancesShareKeys(String classPath, String... settings) {
		CompletableFuture<RunningProcessApp> starting = CompletableFuture
			.supplyAsync(() -> start(TestApplication.class, classPath, settings));
		try (RunningProcessApp first = start(TestApplication.class, classPath, settings);
				RunningProcessApp second = starting.join()) {
			String key = UUID.randomUUID().toString();
			HttpResponse<byte[]> executed = first.http().post("/orders", key, ORDER);
			HttpResponse<byte[]> replayed = second.http().post("/orders", key, ORDER);

			assertThat(executed.statusCode()).as(body(executed)).isEqualTo(201);
			assertReplayOf(executed, replayed);
			assertThat(executions(first) + executions(second)).isEqualTo(1);
			assertThat(first.output()).contains("Idempotency records go to Redis (standalone, ");
		}
	}

	private static void assertReplayOf(HttpResponse<byte[]> first, HttpResponse<byte[]> replay) {
		assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
		assertThat(replay.statusCode()).as(body(replay)).isEqualTo(first.statusCode());
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(replay.body()).isEqualTo(first.body());
	}

	private static RunningProcessApp start(Class<?> application, String classPath, String... settings) {
		return RunningProcessApp.start(application, classPath, RedisServerProcess.freePort(), List.of(), settings);
	}

	private static int executions(RunningProcessApp app) {
		HttpResponse<byte[]> response = app.http()
			.send(HttpRequest.newBuilder(app.http().uri("/executions/orders")).GET().build());
		assertThat(response.statusCode()).isEqualTo(200);
		return Integer.parseInt(body(response).trim());
	}

	/**
	 * The class path really lacks the class: a class loader on exactly that path cannot
	 * load it.
	 */
	private static void assertLacks(String classPath, String className) {
		URL[] urls = Arrays.stream(classPath.split(File.pathSeparator))
			.map(ReducedClassPathTests::url)
			.toArray(URL[]::new);
		try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
			assertThatExceptionOfType(ClassNotFoundException.class).isThrownBy(() -> loader.loadClass(className));
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static URL url(String entry) {
		try {
			return Path.of(entry).toUri().toURL();
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
