package io.github.idempotency.testapp;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Reads the {@code idempotency.requests} counter, summed over endpoints.
 */
public final class RequestCounts {

	private RequestCounts() {
	}

	/**
	 * Returns how many requests had an outcome so far.
	 * @param registry the application's registry
	 * @param outcome the outcome tag
	 * @return the count over all endpoints
	 */
	public static double of(MeterRegistry registry, String outcome) {
		return registry.find("idempotency.requests")
			.tag("outcome", outcome)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}
