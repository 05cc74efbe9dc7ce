package io.github.idempotency.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample app.
 *
 * @param paymentDelay how long creating a payment takes, to show in-flight conflicts
 * @param receipts the receipts consumer
 */
@ConfigurationProperties("sample")
public record SampleProperties(Duration paymentDelay, ReceiptsSettings receipts) {

	public SampleProperties {
		paymentDelay = (paymentDelay != null) ? paymentDelay : Duration.ZERO;
		receipts = (receipts != null) ? receipts : new ReceiptsSettings(false);
	}

	/**
	 * Settings of the receipts consumer.
	 *
	 * @param enabled whether created payments publish an event to RabbitMQ
	 * ({@code spring.rabbitmq.*}) and the receipts consumer writes one receipt per payment
	 */
	public record ReceiptsSettings(boolean enabled) {
	}

}
