package io.github.idempotency.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A {@code redis-server} process owned by a test: started on a free port, and killed,
 * paused, resumed or restarted on demand. Never the machine's shared Redis.
 */
public final class RedisServerProcess implements AutoCloseable {

	private static final String HOST = "127.0.0.1";

	private final int port;

	private final Path directory;

	private final List<String> leadingArguments;

	private final List<String> extraArguments;

	private Process process;

	private RedisServerProcess(int port, Path directory, List<String> leadingArguments, List<String> extraArguments) {
		this.port = port;
		this.directory = directory;
		this.leadingArguments = leadingArguments;
		this.extraArguments = extraArguments;
	}

	/**
	 * Starts {@code redis-server} on a free port and waits until it answers PING.
	 * @param extraArguments more {@code redis-server} arguments, e.g.
	 * {@code --cluster-enabled yes}
	 * @return the running process
	 */
	public static RedisServerProcess start(String... extraArguments) {
		return start((directory) -> List.of(), List.of(extraArguments));
	}

	/**
	 * Starts a Redis Sentinel ({@code redis-server <config> --sentinel}) that monitors
	 * the given primary under the given master name, with a quorum of one.
	 * @param primary the primary it monitors
	 * @param masterName the name applications ask for
	 * @return the running Sentinel
	 */
	public static RedisServerProcess startSentinel(RedisServerProcess primary, String masterName) {
		return start((directory) -> {
			Path config = Files.createFile(directory.resolve("sentinel.conf"));
			return List.of(config.toString(), "--sentinel");
		}, List.of("--sentinel", "monitor", masterName, primary.host(), Integer.toString(primary.port()), "1"));
	}

	private static RedisServerProcess start(LeadingArguments leading, List<String> extraArguments) {
		try {
			Path directory = Files.createTempDirectory("idempotency-redis-");
			RedisServerProcess redis = new RedisServerProcess(freePort(), directory, leading.in(directory),
					extraArguments);
			redis.launch();
			Runtime.getRuntime().addShutdownHook(new Thread(redis::destroyQuietly));
			return redis;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start redis-server", ex);
		}
	}

	public String host() {
		return HOST;
	}

	public int port() {
		return this.port;
	}

	public String url() {
		return "redis://" + HOST + ":" + this.port;
	}

	public long pid() {
		return this.process.pid();
	}

	public boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/** Kills the process with SIGKILL, as a crash would, and waits until it is gone. */
	public void kill() {
		this.process.destroyForcibly();
		waitForExit();
	}

	/** Stops the process with SIGTERM (SIGKILL after 10 s). */
	public void stop() {
		if (!isRunning()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Freezes the process with SIGSTOP: connections stay open, nothing answers. */
	public void pause() {
		signal("STOP");
	}

	/** Thaws a paused process with SIGCONT. */
	public void resume() {
		signal("CONT");
	}

	/**
	 * Undoes every fault: restarts a killed or stopped process and thaws a paused one.
	 */
	public void recover() {
		if (!isRunning()) {
			restart();
		}
		resume();
	}

	/**
	 * The settings of an application whose idempotency store is this Redis.
	 * @param storeFailure {@code fail-closed} or {@code fail-open}
	 * @return {@code name=value} settings, with a store timeout of 500 ms
	 */
	public String[] storeSettings(String storeFailure) {
		return new String[] { "idempotency.store=redis", "spring.data.redis.host=" + host(),
				"spring.data.redis.port=" + port(), "idempotency.store-timeout=500ms",
				"idempotency.store-failure=" + storeFailure };
	}

	/**
	 * Starts the process again on the same port, after {@link #kill()} or
	 * {@link #stop()}.
	 */
	public void restart() {
		if (isRunning()) {
			throw new IllegalStateException("redis-server on port " + this.port + " is still running");
		}
		launch();
	}

	/**
	 * Runs {@code redis-cli} against this server.
	 * @param arguments the command and its arguments
	 * @return what redis-cli printed, trimmed
	 */
	public String cli(String... arguments) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-h", HOST, "-p", Integer.toString(this.port)));
		command.addAll(List.of(arguments));
		return run(command);
	}

	@Override
	public void close() {
		stop();
		deleteDirectory();
	}

	static String run(List<String> command) {
		try {
			Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + command.get(0), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Finds a free local port (whose cluster bus port, +10000, is free too) that is not
	 * 6379.
	 * @return the port
	 */
	public static int freePort() {
		for (int attempt = 0; attempt < 50; attempt++) {
			try (ServerSocket socket = new ServerSocket()) {
				socket.setReuseAddress(false);
				socket.bind(new InetSocketAddress(HOST, 0));
				int port = socket.getLocalPort();
				if (port != 6379 && port + 10000 <= 65535 && isFree(port + 10000)) {
					return port;
				}
			}
			catch (IOException ex) {
				// try another
			}
		}
		throw new IllegalStateException("No free port found for redis-server");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(HOST, port));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void launch() {
		List<String> command = new ArrayList<>(List.of(executable()));
		command.addAll(this.leadingArguments);
		command.addAll(List.of("--port", Integer.toString(this.port), "--bind", HOST, "--save", "", "--appendonly",
				"no", "--dir", this.directory.toString(), "--protected-mode", "no"));
		command.addAll(this.extraArguments);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + command.get(0), ex);
		}
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.failFast("redis-server exited; see " + this.directory.resolve("redis.log"), () -> !this.process.isAlive())
			.until(this::answersPing);
	}

	/** Whether the server answers PING within a second. */
	public boolean answersPing() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, this.port), 1000);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] reply = new byte[7];
			int read = in.readNBytes(reply, 0, 7);
			return read == 7 && new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String executable() {
		String configured = System.getenv("REDIS_SERVER");
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(directory, "redis-server"))) {
				return Path.of(directory, "redis-server").toString();
			}
		}
		throw new IllegalStateException("redis-server is not installed. The tests need a real Redis: install it "
				+ "(apt-get install redis-server), point REDIS_SERVER at the binary, or set "
				+ "IDEMPOTENCY_TEST_REDIS_URL=redis://host:port for the shared test Redis.");
	}

	private void signal(String signal) {
		run(List.of("kill", "-" + signal, Long.toString(pid())));
	}

	private void waitForExit() {
		try {
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void destroyQuietly() {
		if (this.process != null) {
			this.process.descendants().forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly();
		}
		deleteDirectory();
	}

	private void deleteDirectory() {
		if (!Files.exists(this.directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			// temporary files; nothing to do
		}
	}

	/** The arguments that must come first, such as a configuration file. */
	@FunctionalInterface
	private interface LeadingArguments {

		List<String> in(Path directory) throws IOException;

	}

}
