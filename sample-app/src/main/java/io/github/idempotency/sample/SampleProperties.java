package io.github.idempotency.sample;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample app.
 *
 * @param paymentDelay how long creating a payment takes, to show in-flight conflicts
 */
@ConfigurationProperties("sample")
public record SampleProperties(Duration paymentDelay) {

	public SampleProperties {
		paymentDelay = (paymentDelay != null) ? paymentDelay : Duration.ZERO;
	}

}
