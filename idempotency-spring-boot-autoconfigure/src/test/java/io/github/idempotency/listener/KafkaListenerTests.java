package io.github.idempotency.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.github.idempotency.testsupport.KafkaBroker;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.MessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka listeners with {@code @Idempotent(key = ...)} on spring-kafka-test's KRaft broker
 * in the test JVM (consumers that are killed run in JVMs of their own): Spring Kafka's
 * default error handling with the starter's in-progress back-off, a topic of two
 * partitions.
 */
class KafkaListenerTests extends ListenerContract {

	private static final String KILL_TOPIC = "payments-kill";

	private static final String REBALANCE_TOPIC = "payments-rebalance";

	private final KafkaBroker broker = KafkaBroker.start(2, ListenerTestApplication.TOPIC, KILL_TOPIC, REBALANCE_TOPIC);

	private final DefaultKafkaProducerFactory<String, String> producers = new DefaultKafkaProducerFactory<>(
			Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.broker.bootstrapServers(),
					ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
					ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));

	private final KafkaTemplate<String, String> kafka = new KafkaTemplate<>(this.producers);

	@Override
	void stopBroker() {
		this.producers.destroy();
		this.broker.close();
	}

	@Override
	List<String> brokerSettings() {
		return List.of("test.broker=kafka", "spring.kafka.bootstrap-servers=" + this.broker.bootstrapServers(),
				"spring.kafka.consumer.auto-offset-reset=earliest",
				"spring.kafka.consumer.properties.session.timeout.ms=6000",
				"spring.kafka.consumer.properties.heartbeat.interval.ms=1000");
	}

	@Override
	void publish(String paymentId) {
		send(ListenerTestApplication.TOPIC, 0, paymentId);
	}

	@Override
	void publishToTwoConsumers(String paymentId) {
		send(ListenerTestApplication.TOPIC, 0, paymentId);
		send(ListenerTestApplication.TOPIC, 1, paymentId);
	}

	private void send(String topic, int partition, String paymentId) {
		try {
			this.kafka.send(topic, partition, paymentId, paymentId).get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause());
		}
	}

	/**
	 * Waits until every consumer thread of every listener has partitions: a consumer that
	 * joins later makes the group rebalance, which waits for a consumer busy in a slow
	 * record.
	 */
	@Override
	void awaitConsumersListening(ConfigurableApplicationContext consumers) {
		KafkaListenerEndpointRegistry registry = consumers.getBean(KafkaListenerEndpointRegistry.class);
		await().atMost(WAIT).until(() -> registry.getListenerContainers().stream().allMatch((container) -> {
			List<? extends MessageListenerContainer> threads = (container instanceof ConcurrentMessageListenerContainer<?, ?> concurrent)
					? concurrent.getContainers() : List.of(container);
			return !threads.isEmpty() && threads.stream()
				.allMatch((thread) -> thread.getAssignedPartitions() != null
						&& !thread.getAssignedPartitions().isEmpty());
		}));
	}

	@Override
	String receiptsEndpoint() {
		return "KafkaReceipts#onPayment";
	}

	/**
	 * A consumer JVM killed after the effect started and before its offset was committed:
	 * after its session times out, another consumer of the group reads the record again
	 * and runs it once the dead consumer's claim expired; the effect happens once.
	 */
	@Test
	void aConsumerKilledBeforeItsCommitLeavesTheRecordToAnotherThatRunsItOnce() {
		assertAKilledConsumersMessageRunsOnceElsewhere(settings("idempotency.lock-timeout=4s", "test.audit=false",
				"test.consumers=1", "test.topic=" + KILL_TOPIC, "test.group=kill"), (id) -> send(KILL_TOPIC, 0, id));
	}

	/**
	 * Two consumers of one group with a rebalance in the middle: the first polls all ten
	 * records at once and is blocked in the sixth, a slow one, past its poll interval, so
	 * it loses the partition; the second reads the records the first processed but never
	 * committed (replays), waits for the slow one, and each record's effect happens once
	 * although both consumers go on with the rest of the batch.
	 */
	@Test
	void twoConsumersOfOneGroupWithARebalanceInTheMiddleHaveEachEffectOnce() {
		List<String> settings = settings("test.audit=false", "test.consumers=1", "test.topic=" + REBALANCE_TOPIC,
				"test.group=rebalance", "spring.kafka.consumer.properties.max.poll.interval.ms=5000");
		String slow = newId("slow-");
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			ids.add((i == 5) ? slow : newId("pay-"));
		}
		ids.forEach((id) -> send(REBALANCE_TOPIC, 0, id));
		try (ConfigurableApplicationContext first = startWith(settings)) {
			await().atMost(WAIT).until(() -> started("receipts", slow) == 1);
			try (ConfigurableApplicationContext second = startWith(settings)) {
				await().atMost(WAIT)
					.until(() -> outcomes(second, "replayed", receiptsEndpoint()) >= 5
							&& outcomes(second, "conflict", receiptsEndpoint()) >= 1);
				Effects.release(this.effects, slow, 1);
				await().atMost(WAIT).until(() -> ids.stream().allMatch((id) -> effects("receipts", id) == 1));
				await().atMost(WAIT).until(() -> ids.stream().allMatch((id) -> attempts("receipts", id) == 1));
			}
		}
		assertThat(ids).allSatisfy((id) -> assertThat(effects("receipts", id)).as(id).isEqualTo(1));
	}

}
