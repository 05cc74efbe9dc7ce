package io.github.idempotency.sample;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Publishes {@link PaymentCreated} to the receipts queue when
 * {@code sample.receipts.enabled} is true; otherwise nothing is sent and nothing connects
 * to RabbitMQ.
 */
@Component
class PaymentEvents {

	private final SampleProperties properties;

	private final ObjectProvider<RabbitTemplate> rabbit;

	PaymentEvents(SampleProperties properties, ObjectProvider<RabbitTemplate> rabbit) {
		this.properties = properties;
		this.rabbit = rabbit;
	}

	void created(Payment payment) {
		if (this.properties.receipts().enabled()) {
			this.rabbit.getObject()
				.convertAndSend(Receipts.QUEUE, new PaymentCreated(payment.id(), payment.amount(), payment.currency()));
		}
	}

}
