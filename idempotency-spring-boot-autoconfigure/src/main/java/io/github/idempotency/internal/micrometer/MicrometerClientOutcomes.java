package io.github.idempotency.internal.micrometer;

import io.github.idempotency.client.ClientOutcomes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.util.Assert;

/**
 * Counts the calls of the client half as {@code idempotency.client.requests} with the
 * tags {@code method}, {@code result} ({@code first}, {@code replayed}, {@code failed})
 * and {@code attempts}.
 */
public final class MicrometerClientOutcomes implements ClientOutcomes {

	/** Name of the counter. */
	public static final String REQUESTS = "idempotency.client.requests";

	private final MeterRegistry registry;

	/**
	 * Creates the counter's source.
	 * @param registry where the counter is registered
	 */
	public MicrometerClientOutcomes(MeterRegistry registry) {
		Assert.notNull(registry, "registry must not be null");
		this.registry = registry;
	}

	@Override
	public void record(Outcome outcome) {
		Counter.builder(REQUESTS)
			.description("Calls of the idempotency client half by result and attempts")
			.tag("method", outcome.method().name())
			.tag("result", outcome.result())
			.tag("attempts", Integer.toString(outcome.attempts()))
			.register(this.registry)
			.increment();
	}

}
