package io.github.idempotency.kafka;

import java.time.Duration;
import java.util.function.BiFunction;

import io.github.idempotency.IdempotencyInProgressException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The back-off of a Kafka {@code DefaultErrorHandler} for a record whose
 * {@code @Idempotent(key = ...)} listener finds its key still in flight: exponential from
 * {@code initialInterval} up to {@code maxInterval}, with no limit on attempts or time,
 * so the record is retried until the first delivery's result can be returned or its claim
 * expired and the retry runs it — never handed to the recoverer (a dead-letter topic)
 * while the claim lives. Any other exception gets the handler's own back-off
 * ({@code null}).
 *
 * <pre class="code">
 * DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
 * handler.setBackOffFunction(new InProgressBackOffFunction(Duration.ofMillis(100), Duration.ofSeconds(1)));
 * </pre>
 */
public final class InProgressBackOffFunction implements BiFunction<ConsumerRecord<?, ?>, Exception, BackOff> {

	private final long initialIntervalMillis;

	private final long maxIntervalMillis;

	/**
	 * Creates the function.
	 * @param initialInterval the first pause before the record is tried again
	 * @param maxInterval the longest pause between two tries
	 */
	public InProgressBackOffFunction(Duration initialInterval, Duration maxInterval) {
		Assert.isTrue(initialInterval.toMillis() > 0, "initialInterval must be at least 1 ms");
		Assert.isTrue(maxInterval.compareTo(initialInterval) >= 0,
				"maxInterval must not be shorter than initialInterval");
		this.initialIntervalMillis = initialInterval.toMillis();
		this.maxIntervalMillis = maxInterval.toMillis();
	}

	@Override
	public @Nullable BackOff apply(ConsumerRecord<?, ?> record, Exception failure) {
		if (IdempotencyInProgressException.findIn(failure) == null) {
			return null;
		}
		ExponentialBackOff backOff = new ExponentialBackOff(this.initialIntervalMillis, 2.0);
		backOff.setMaxInterval(this.maxIntervalMillis);
		return backOff;
	}

}
