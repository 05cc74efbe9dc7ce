package io.github.idempotency.sample;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample app.
 *
 * @param paymentDelay how long creating a payment takes, to show in-flight conflicts
 * @param paymentsKept how many of the latest payments the instance keeps in memory for
 * {@code GET /payments}; 0 (the default) keeps every one (a benchmark that creates
 * millions sets a bound, so the heap does not fill with them)
 * @param receipts the receipts consumer
 * @param checkout the checkout caller
 */
@ConfigurationProperties("sample")
public record SampleProperties(Duration paymentDelay, int paymentsKept, ReceiptsSettings receipts,
		CheckoutSettings checkout) {

	public SampleProperties {
		paymentDelay = (paymentDelay != null) ? paymentDelay : Duration.ZERO;
		if (paymentsKept < 0) {
			throw new IllegalArgumentException("sample.payments-kept must be 0 (keep every payment) or positive");
		}
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
