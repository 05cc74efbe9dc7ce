package io.github.idempotency.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A virtual host of its own on the machine's RabbitMQ ({@code localhost:5672},
 * guest/guest), created with {@code rabbitmqctl} and deleted again on {@link #close()}:
 * tests never touch the broker's default virtual host nor each other's queues. Without
 * {@code rabbitmqctl} or a running broker the test fails with a message that says how to
 * get one.
 */
public final class RabbitVirtualHost implements AutoCloseable {

	private final String name;

	private RabbitVirtualHost(String name) {
		this.name = name;
	}

	/**
	 * Creates a virtual host with a unique name and gives the guest user every permission
	 * on it.
	 * @return the virtual host
	 */
	public static RabbitVirtualHost create() {
		RabbitVirtualHost host = new RabbitVirtualHost("idempotency-test-" + UUID.randomUUID());
		rabbitmqctl("add_vhost", host.name);
		rabbitmqctl("set_permissions", "-p", host.name, "guest", ".*", ".*", ".*");
		return host;
	}

	/**
	 * @return the virtual host's name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * @return the {@code spring.rabbitmq.*} settings of an application on this virtual
	 * host
	 */
	public List<String> settings() {
		return List.of("spring.rabbitmq.host=127.0.0.1", "spring.rabbitmq.port=5672", "spring.rabbitmq.username=guest",
				"spring.rabbitmq.password=guest", "spring.rabbitmq.virtual-host=" + this.name);
	}

	/**
	 * @param queue a queue of this virtual host
	 * @return how many messages it holds, ready and unacknowledged
	 */
	public int messages(String queue) {
		for (String line : rabbitmqctl("list_queues", "-p", this.name, "--no-table-headers", "name", "messages")
			.split("\n")) {
			String[] columns = line.strip().split("\\s+");
			if (columns.length == 2 && columns[0].equals(queue)) {
				return Integer.parseInt(columns[1]);
			}
		}
		throw new IllegalStateException("No queue '" + queue + "' in virtual host " + this.name);
	}

	@Override
	public void close() {
		rabbitmqctl("delete_vhost", this.name);
	}

	private static String rabbitmqctl(String... arguments) {
		List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output + HOW_TO);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run rabbitmqctl." + HOW_TO, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static final String HOW_TO = " The broker tests need RabbitMQ on localhost:5672 with the guest user and "
			+ "rabbitmqctl on the PATH: apt-get install rabbitmq-server, then rabbitmq-server -detached (.ci/run does both).";

}
