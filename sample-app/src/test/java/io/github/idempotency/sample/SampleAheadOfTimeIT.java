package io.github.idempotency.sample;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;
import io.github.idempotency.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample app run from its ahead-of-time processed form
 * ({@code java -Dspring.aot.enabled=true -jar}), as a native image runs it: built for
 * Redis, two instances share their keys through a real {@code redis-server}; a run that
 * asks for another store than the one built in fails start-up naming the property, and
 * never answers from the heap.
 */
class SampleAheadOfTimeIT {

	private static final String PAYMENT = "{\"amount\":1000,\"currency\":\"EUR\"}";

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void twoAheadOfTimeProcessedInstancesSharingRedisCreateOnePayment() throws Exception {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			String[] settings = { "--idempotency.store=redis", "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port() };
			CompletableFuture<App> starting = CompletableFuture.supplyAsync(() -> App.start(settings));
			try (App first = App.start(settings); App second = starting.join()) {
				String key = UUID.randomUUID().toString();
				HttpResponse<String> created = post(first, key);
				HttpResponse<String> replayed = post(second, key);

				assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
				assertThat(replayed.statusCode()).isEqualTo(201);
				assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
				assertThat(replayed.body()).isEqualTo(created.body());
				String paymentId = JsonPath.read(created.body(), "$.id");
				assertThat(get(first, "/payments").body() + get(second, "/payments").body())
					.containsOnlyOnce(paymentId);
				assertThat(first.output()).contains("Starting AOT-processed SampleApplication")
					.contains(
							"Idempotency records go to Redis (standalone, " + redis.host() + ":" + redis.port() + ")");
				assertThat(redis.cli("dbsize")).isEqualTo("1");
			}
		}
	}

	@Test
	void aRunThatAsksForAnotherStoreThanTheOneBuiltInFailsNamingTheProperty() {
		String output = App.startExpectingFailure("--idempotency.store=in-memory");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("idempotency.store is in-memory at run time, but the application was built with the redis store")
			.contains("process-aot")
			.doesNotContain("Idempotency records go to the heap");
	}

	private HttpResponse<String> post(App app, String key) throws Exception {
		return this.client.send(HttpRequest.newBuilder(app.uri("/payments"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(PAYMENT))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(App app, String path) throws Exception {
		return this.client.send(HttpRequest.newBuilder(app.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** The packaged jar in a JVM of its own, with AOT enabled. */
	private record App(Process process, int port, Path log) implements AutoCloseable {

		static App start(String... arguments) {
			App app = launch(arguments);
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(200))
				.failFast("the application exited; it printed:\n" + app.log, () -> !app.process.isAlive())
				.until(app::serves);
			return app;
		}

		static String startExpectingFailure(String... arguments) {
			try (App app = launch(arguments)) {
				await().atMost(Duration.ofSeconds(90))
					.failFast("the application accepted connections although start-up should fail", app::serves)
					.until(() -> !app.process.isAlive());
				assertThat(app.process.exitValue()).isNotZero();
				return app.output();
			}
		}

		private static App launch(String... arguments) {
			try {
				int port = RedisServerProcess.freePort();
				Path log = Files.createTempFile("sample-aot-", ".log");
				List<String> command = new ArrayList<>(List.of(
						Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dspring.aot.enabled=true",
						"-jar", jar().toString(), "--server.port=" + port, "--spring.main.banner-mode=off"));
				command.addAll(List.of(arguments));
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
				return new App(process, port, log);
			}
			catch (IOException ex) {
				throw new IllegalStateException("Could not start the sample app", ex);
			}
		}

		private static Path jar() throws IOException {
			try (Stream<Path> files = Files.list(Path.of("target"))) {
				return files.filter((file) -> file.getFileName().toString().matches("sample-app-.*\\.jar"))
					.findFirst()
					.orElseThrow(() -> new IllegalStateException(
							"No sample-app jar in target/: run the package phase first"));
			}
		}

		URI uri(String path) {
			return URI.create("http://127.0.0.1:" + this.port + path);
		}

		boolean serves() {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

		String output() {
			try {
				return Files.readString(this.log);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public void close() {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(30, TimeUnit.SECONDS);
				Files.deleteIfExists(this.log);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (IOException ex) {
				// a temporary file
			}
		}

	}

}
