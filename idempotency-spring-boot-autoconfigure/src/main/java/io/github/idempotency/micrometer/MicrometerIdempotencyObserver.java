package io.github.idempotency.micrometer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.idempotency.IdempotencyObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.util.Assert;

/**
 * Publishes outcomes as the counter {@code idempotency.requests} (tags {@code outcome} and
 * {@code endpoint}, the handler method) and store calls as the timer {@code idempotency.store}
 * (tags {@code operation} and {@code result}). Tag values are bounded: never a key or a path.
 */
public final class MicrometerIdempotencyObserver implements IdempotencyObserver {

	/** Name of the request counter. */
	public static final String REQUESTS = "idempotency.requests";

	/** Name of the store timer. */
	public static final String STORE = "idempotency.store";

	private final MeterRegistry registry;

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * Creates an observer.
	 * @param registry where meters are registered
	 */
	public MicrometerIdempotencyObserver(MeterRegistry registry) {
		Assert.notNull(registry, "registry must not be null");
		this.registry = registry;
	}

	@Override
	public void onOutcome(Outcome outcome, String endpoint) {
		this.counters.computeIfAbsent(outcome.tag() + ' ' + endpoint,
				(id) -> Counter.builder(REQUESTS)
					.description("Requests to @Idempotent methods by outcome")
					.tag("outcome", outcome.tag())
					.tag("endpoint", endpoint)
					.register(this.registry))
			.increment();
	}

	@Override
	public void onStoreCall(StoreOperation operation, long nanos, boolean failed) {
		String result = failed ? "failure" : "success";
		this.timers.computeIfAbsent(operation.tag() + ' ' + result,
				(id) -> Timer.builder(STORE)
					.description("Calls to the idempotency store")
					.tag("operation", operation.tag())
					.tag("result", result)
					.register(this.registry))
			.record(nanos, TimeUnit.NANOSECONDS);
	}

}
