package io.github.idempotency.listener;

import java.util.ArrayList;
import java.util.List;

import io.github.idempotency.testsupport.RabbitVirtualHost;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * RabbitMQ listeners with {@code @Idempotent(key = ...)} on the machine's RabbitMQ, in a
 * virtual host of their own: a prefetch of 1 (so two copies of a message go to two
 * consumers), Spring Boot's default requeue on failure, and the starter's in-progress
 * wait.
 */
class RabbitListenerTests extends ListenerContract {

	private final RabbitVirtualHost virtualHost = RabbitVirtualHost.create();

	private final CachingConnectionFactory connectionFactory = connectionFactory(this.virtualHost);

	private final RabbitTemplate rabbit = new RabbitTemplate(this.connectionFactory);

	private static CachingConnectionFactory connectionFactory(RabbitVirtualHost virtualHost) {
		CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
		factory.setUsername("guest");
		factory.setPassword("guest");
		factory.setVirtualHost(virtualHost.name());
		return factory;
	}

	@Override
	void stopBroker() {
		this.connectionFactory.destroy();
		this.virtualHost.close();
	}

	/**
	 * Declares what the test application declares, so a test can publish before it has
	 * started.
	 */
	private static void declarePayments(CachingConnectionFactory connectionFactory) {
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		FanoutExchange exchange = new FanoutExchange(ListenerTestApplication.EXCHANGE, false, false);
		admin.declareExchange(exchange);
		for (String queue : new String[] { "receipts", "audit" }) {
			admin.declareQueue(new Queue(queue, false));
			admin.declareBinding(BindingBuilder.bind(new Queue(queue, false)).to(exchange));
		}
	}

	@Override
	List<String> brokerSettings() {
		List<String> settings = new ArrayList<>(this.virtualHost.settings());
		settings.addAll(List.of("test.broker=rabbit", "spring.rabbitmq.listener.simple.prefetch=1"));
		return settings;
	}

	@Override
	void publish(String paymentId) {
		this.rabbit.convertAndSend(ListenerTestApplication.EXCHANGE, "", paymentId);
	}

	@Override
	void publishToTwoConsumers(String paymentId) {
		publish(paymentId);
		publish(paymentId);
	}

	/** The listener containers have started consuming when the context has started. */
	@Override
	void awaitConsumersListening(ConfigurableApplicationContext consumers) {
	}

	@Override
	String receiptsEndpoint() {
		return "RabbitReceipts#onPayment";
	}

	/**
	 * A consumer JVM killed after the effect started and before the ack: RabbitMQ
	 * requeues the message to another consumer, which waits on its consumer for the dead
	 * consumer's claim to expire and runs it; the effect happens once, as the first run
	 * had not finished.
	 */
	@Test
	void aConsumerKilledBeforeItsAckLeavesTheMessageToAnotherThatRunsItOnce() {
		try (RabbitVirtualHost own = RabbitVirtualHost.create()) {
			List<String> settings = new ArrayList<>(settings("idempotency.lock-timeout=4s", "test.audit=false"));
			settings.removeAll(this.virtualHost.settings());
			settings.addAll(own.settings());
			CachingConnectionFactory ownConnection = connectionFactory(own);
			try {
				assertAKilledConsumersMessageRunsOnceElsewhere(settings, (id) -> {
					// the consumer JVM declares the queues once its listeners start,
					// after its web server
					declarePayments(ownConnection);
					new RabbitTemplate(ownConnection).convertAndSend(ListenerTestApplication.EXCHANGE, "", id);
				});
			}
			finally {
				ownConnection.destroy();
			}
		}
	}

}
