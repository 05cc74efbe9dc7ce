package io.github.idempotency.testapp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A {@link TestApplication} (or another application) in a JVM of its own, so a test can
 * kill it like a crash or start it on a class path that lacks a library.
 */
public final class RunningProcessApp implements AutoCloseable {

	private final Process process;

	private final int port;

	private final Path log;

	private RunningProcessApp(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	/**
	 * Starts the application and waits until it serves HTTP.
	 * @param port the port to listen on
	 * @param systemProperties {@code -D} settings
	 * @param arguments {@code --name=value} settings
	 * @return the running process
	 */
	public static RunningProcessApp start(int port, List<String> systemProperties, String... arguments) {
		return start(TestApplication.class, System.getProperty("java.class.path"), port, systemProperties, arguments);
	}

	/**
	 * Starts an application on a class path of the caller's choice and waits until it
	 * serves HTTP.
	 * @param application the application's main class
	 * @param classPath the class path of its JVM
	 * @param port the port to listen on
	 * @param systemProperties {@code -D} settings
	 * @param arguments {@code --name=value} settings
	 * @return the running process
	 */
	public static RunningProcessApp start(Class<?> application, String classPath, int port,
			List<String> systemProperties, String... arguments) {
		RunningProcessApp app = launch(application, classPath, port, systemProperties, arguments);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(200))
			.failFast("the application process exited; see " + app.log, () -> !app.process.isAlive())
			.until(app::serves);
		return app;
	}

	/**
	 * Starts the application, expecting start-up to fail, and waits until the process
	 * exits.
	 * @param port the port to listen on
	 * @param arguments {@code --name=value} settings
	 * @return what the process printed
	 */
	public static String startExpectingFailure(int port, String... arguments) {
		try (RunningProcessApp app = launch(TestApplication.class, System.getProperty("java.class.path"), port,
				List.of(), arguments)) {
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(200))
				.failFast("the application accepted connections although start-up should fail", app::serves)
				.until(() -> !app.process.isAlive());
			return app.output();
		}
	}

	private static RunningProcessApp launch(Class<?> application, String classPath, int port,
			List<String> systemProperties, String... arguments) {
		try {
			Path log = Files.createTempFile("idempotency-app-", ".log");
			List<String> command = new ArrayList<>(
					List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
							"-XX:TieredStopAtLevel=1", "-cp", classPath));
			systemProperties.forEach((property) -> command.add("-D" + property));
			command.add(application.getName());
			command.add("--server.port=" + port);
			command.add("--spring.main.banner-mode=off");
			command.addAll(List.of(arguments));
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
			return new RunningProcessApp(process, port, log);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the application process", ex);
		}
	}

	/**
	 * @return everything the process printed so far
	 */
	public String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read " + this.log, ex);
		}
	}

	public TestHttp http() {
		return new TestHttp(this.port);
	}

	/** Kills the JVM with SIGKILL: no shutdown hooks, no releases. */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean serves() {
		try (java.net.Socket socket = new java.net.Socket("127.0.0.1", this.port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		kill();
		try {
			Files.deleteIfExists(this.log);
		}
		catch (IOException ex) {
			// a temporary file
		}
	}

}
