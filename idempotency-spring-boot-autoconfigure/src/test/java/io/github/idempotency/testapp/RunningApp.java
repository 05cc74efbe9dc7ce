package io.github.idempotency.testapp;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A {@link TestApplication} instance started by a test on a random port, for tests that
 * need more than one instance or their own settings.
 */
public final class RunningApp implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private RunningApp(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts an instance.
	 * @param properties {@code name=value} settings
	 * @return the running instance
	 */
	public static RunningApp start(String... properties) {
		return start(TestApplication.class, properties);
	}

	/**
	 * Starts an instance of another application class.
	 * @param application the application class
	 * @param properties {@code name=value} settings
	 * @return the running instance
	 */
	public static RunningApp start(Class<?> application, String... properties) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		return new RunningApp(new SpringApplicationBuilder(application).properties(all.toArray(String[]::new)).run());
	}

	public int port() {
		return this.context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	public TestHttp http() {
		return new TestHttp(port());
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public Executions executions() {
		return bean(Executions.class);
	}

	@Override
	public void close() {
		this.context.close();
	}

}
