package io.github.idempotency.listener;

import io.github.idempotency.Idempotent;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Message consumers on a real broker, RabbitMQ ({@code test.broker=rabbit}) or Kafka
 * ({@code test.broker=kafka}): two listeners of the same messages, a receipt writer and
 * an audit, each {@code @Idempotent(key = "#paymentId")}. Runs in the test JVM and, for
 * tests that kill a consumer, in JVMs of its own.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ ListenerTestApplication.Rabbit.class, ListenerTestApplication.Kafka.class })
public class ListenerTestApplication {

	/** The fanout exchange every RabbitMQ test publishes to. */
	public static final String EXCHANGE = "payments";

	/** The Kafka topic every Kafka test publishes to. */
	public static final String TOPIC = "payments";

	@Bean
	Effects effects(StringRedisTemplate redis) {
		return new Effects(redis);
	}

	public static void main(String[] args) {
		SpringApplication.run(ListenerTestApplication.class, args);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "test.broker", havingValue = "rabbit")
	static class Rabbit {

		@Bean
		FanoutExchange payments() {
			return new FanoutExchange(EXCHANGE, false, false);
		}

		@Bean
		Queue receiptsQueue() {
			return new Queue("receipts", false);
		}

		@Bean
		Queue auditQueue() {
			return new Queue("audit", false);
		}

		@Bean
		Binding receiptsBinding() {
			return BindingBuilder.bind(receiptsQueue()).to(payments());
		}

		@Bean
		Binding auditBinding() {
			return BindingBuilder.bind(auditQueue()).to(payments());
		}

		@Bean
		RabbitReceipts rabbitReceipts(Effects effects) {
			return new RabbitReceipts(effects);
		}

		@Bean
		RabbitAudit rabbitAudit(Effects effects) {
			return new RabbitAudit(effects);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "test.broker", havingValue = "kafka")
	static class Kafka {

		@Bean
		KafkaReceipts kafkaReceipts(Effects effects) {
			return new KafkaReceipts(effects);
		}

		@Bean
		KafkaAudit kafkaAudit(Effects effects) {
			return new KafkaAudit(effects);
		}

	}

	/** A listener bean: its business code is {@link Effects}, under its own name. */
	abstract static class Listener {

		private final Effects effects;

		private final String name;

		Listener(Effects effects, String name) {
			this.effects = effects;
			this.name = name;
		}

		void handle(String paymentId) {
			this.effects.apply(this.name, paymentId);
		}

	}

	public static class RabbitReceipts extends Listener {

		RabbitReceipts(Effects effects) {
			super(effects, "receipts");
		}

		@RabbitListener(queues = "receipts", concurrency = "${test.consumers:2}")
		@Idempotent(key = "#paymentId")
		public void onPayment(String paymentId) {
			handle(paymentId);
		}

	}

	public static class RabbitAudit extends Listener {

		RabbitAudit(Effects effects) {
			super(effects, "audit");
		}

		@RabbitListener(queues = "audit", autoStartup = "${test.audit:true}")
		@Idempotent(key = "#paymentId")
		public void onPayment(String paymentId) {
			handle(paymentId);
		}

	}

	public static class KafkaReceipts extends Listener {

		KafkaReceipts(Effects effects) {
			super(effects, "receipts");
		}

		@KafkaListener(topics = "${test.topic:" + TOPIC + "}", groupId = "${test.group:receipts}",
				concurrency = "${test.consumers:2}")
		@Idempotent(key = "#paymentId")
		public void onPayment(String paymentId) {
			handle(paymentId);
		}

	}

	public static class KafkaAudit extends Listener {

		KafkaAudit(Effects effects) {
			super(effects, "audit");
		}

		@KafkaListener(topics = "${test.topic:" + TOPIC + "}", groupId = "${test.group:receipts}-audit",
				autoStartup = "${test.audit:true}")
		@Idempotent(key = "#paymentId")
		public void onPayment(String paymentId) {
			handle(paymentId);
		}

	}

}
