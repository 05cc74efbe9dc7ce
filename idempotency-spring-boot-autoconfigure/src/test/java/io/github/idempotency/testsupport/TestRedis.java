package io.github.idempotency.testsupport;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The Redis the test suite shares, found in this order:
 * {@code IDEMPOTENCY_TEST_REDIS_URL}; a Testcontainers Redis when a Docker engine is
 * present; otherwise a {@code redis-server} process the suite starts on a free port.
 * Without any of these the tests fail with a message that says how to get one.
 */
public final class TestRedis {

	/** Environment variable naming an existing Redis for the tests. */
	public static final String URL_VARIABLE = "IDEMPOTENCY_TEST_REDIS_URL";

	private static TestRedis shared;

	private final String host;

	private final int port;

	private final String source;

	private TestRedis(String host, int port, String source) {
		this.host = host;
		this.port = port;
		this.source = source;
	}

	/**
	 * Returns the suite's Redis, starting it on first use.
	 * @return the shared Redis
	 */
	public static synchronized TestRedis shared() {
		if (shared == null) {
			shared = resolve();
		}
		return shared;
	}

	/**
	 * Points Spring Boot's {@code spring.data.redis.*} at the shared Redis.
	 * @param registry the registry of a {@code @DynamicPropertySource} method
	 */
	public static void register(DynamicPropertyRegistry registry) {
		TestRedis redis = shared();
		registry.add("spring.data.redis.host", redis::host);
		registry.add("spring.data.redis.port", redis::port);
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	public String url() {
		return "redis://" + this.host + ":" + this.port;
	}

	/**
	 * @return where this Redis comes from
	 */
	public String source() {
		return this.source;
	}

	private static TestRedis resolve() {
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			URI uri = URI.create(url.strip());
			return new TestRedis(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 6379, URL_VARIABLE + "=" + url);
		}
		if (dockerLooksAvailable() && DockerClientFactory.instance().isDockerAvailable()) {
			GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
			container.start();
			Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
			return new TestRedis(container.getHost(), container.getMappedPort(6379), "Testcontainers redis:7-alpine");
		}
		RedisServerProcess process = RedisServerProcess.start();
		Runtime.getRuntime().addShutdownHook(new Thread(process::close));
		return new TestRedis(process.host(), process.port(), "redis-server process on port " + process.port());
	}

	private static boolean dockerLooksAvailable() {
		return System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"));
	}

}
