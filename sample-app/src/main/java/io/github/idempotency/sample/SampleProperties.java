package io.github.idempotency.sample;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample app.
 *
 * @param paymentDelay how long creating a payment takes, to show in-flight conflicts
 * @param receipts the receipts consumer
 * @param checkout the checkout caller
 */
@ConfigurationProperties("sample")
public record SampleProperties(Duration paymentDelay, ReceiptsSettings receipts, CheckoutSettings checkout) {

	public SampleProperties {
		paymentDelay = (paymentDelay != null) ? paymentDelay : Duration.ZERO;
		receipts = (receipts != null) ? receipts : new ReceiptsSettings(false);
		checkout = (checkout != null) ? checkout : new CheckoutSettings(URI.create("http://localhost:8080"));
	}

	/**
	 * Settings of the checkout caller.
	 *
	 * @param paymentsUrl the base URL of the instance whose {@code POST /payments} the
	 * checkout pays through
	 */
	public record CheckoutSettings(URI paymentsUrl) {
	}

	/**
	 * Settings of the receipts consumer.
	 *
	 * @param enabled whether created payments publish an event to RabbitMQ
	 * ({@code spring.rabbitmq.*}) and the receipts consumer writes one receipt per
	 * payment
	 */
	public record ReceiptsSettings(boolean enabled) {
	}

}
