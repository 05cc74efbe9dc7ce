package io.github.idempotency.testsupport;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A Kafka broker in the test JVM (spring-kafka-test's KRaft broker) on a free port, with
 * the topics a test needs; application JVMs of the test connect to it over the network.
 */
public final class KafkaBroker implements AutoCloseable {

	private final EmbeddedKafkaKraftBroker broker;

	private KafkaBroker(EmbeddedKafkaKraftBroker broker) {
		this.broker = broker;
	}

	/**
	 * Starts a broker.
	 * @param partitions the partitions of each topic
	 * @param topics the topics to create
	 * @return the running broker
	 */
	public static KafkaBroker start(int partitions, String... topics) {
		EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, partitions, topics);
		broker.afterPropertiesSet();
		return new KafkaBroker(broker);
	}

	/**
	 * @return the bootstrap servers, {@code host:port}
	 */
	public String bootstrapServers() {
		return this.broker.getBrokersAsString();
	}

	@Override
	public void close() {
		this.broker.destroy();
	}

}
