package io.github.idempotency.internal.micrometer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.github.idempotency.IdempotencyObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.util.Assert;

/**
 * Publishes outcomes as the counter {@code idempotency.requests} (tags {@code outcome}
 * and {@code endpoint}, the handler method), store calls as the timer
 * {@code idempotency.store} (tags {@code operation} and {@code result}), renewals of
 * running calls' claims as the counter {@code idempotency.renewals} (tags {@code result}
 * and {@code endpoint}), the waits of duplicates for the call in flight with their key as
 * the timer {@code idempotency.waits} (tags {@code result} and {@code endpoint}) and an
 * operator's evictions as the counter {@code idempotency.evictions} (tag {@code result}:
 * {@code evicted} or {@code absent}). Tag values are bounded: never a key or a path.
 */
public final class MicrometerIdempotencyObserver implements IdempotencyObserver {

	/** Name of the request counter. */
	public static final String REQUESTS = "idempotency.requests";

	/** Name of the store timer. */
	public static final String STORE = "idempotency.store";

	/** Name of the renewal counter. */
	public static final String RENEWALS = "idempotency.renewals";

	/** Name of the timer of duplicates' waits. */
	public static final String WAITS = "idempotency.waits";

	/** Name of the gauge of duplicates waiting now. */
	public static final String WAITING = "idempotency.waiting";

	/** Name of the eviction counter. */
	public static final String EVICTIONS = "idempotency.evictions";

	private final MeterRegistry registry;

	/** Each endpoint's counters, by outcome ordinal, registered on first use. */
	private final Map<String, AtomicReferenceArray<Counter>> counters = new ConcurrentHashMap<>();

	/**
	 * The store timers, by operation ordinal and result (success, failure), registered on
	 * first use.
	 */
	private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(StoreOperation.values().length * 2);

	/**
	 * How many duplicates wait now, by endpoint; each registered as a gauge on first use.
	 */
	private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();

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
		AtomicReferenceArray<Counter> byOutcome = this.counters.computeIfAbsent(endpoint,
				(name) -> new AtomicReferenceArray<>(Outcome.values().length));
		Counter counter = byOutcome.get(outcome.ordinal());
		if (counter == null) {
			counter = Counter.builder(REQUESTS)
				.description("Requests to @Idempotent methods by outcome")
				.tag("outcome", outcome.tag())
				.tag("endpoint", endpoint)
				.register(this.registry);
			byOutcome.set(outcome.ordinal(), counter);
		}
		counter.increment();
	}

	@Override
	public void onStoreCall(StoreOperation operation, long nanos, boolean failed) {
		int index = operation.ordinal() * 2 + (failed ? 1 : 0);
		Timer timer = this.timers.get(index);
		if (timer == null) {
			timer = Timer.builder(STORE)
				.description("Calls to the idempotency store")
				.tag("operation", operation.tag())
				.tag("result", failed ? "failure" : "success")
				.register(this.registry);
			this.timers.set(index, timer);
		}
		timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void onRenewal(Renewal renewal, String endpoint) {
		Counter.builder(RENEWALS)
			.description("Renewals of running calls' claims by result")
			.tag("result", renewal.tag())
			.tag("endpoint", endpoint)
			.register(this.registry)
			.increment();
	}

	@Override
	public void onWaitStarted(String endpoint) {
		waiting(endpoint).incrementAndGet();
	}

	@Override
	public void onWait(WaitEnd end, String endpoint, long nanos) {
		waiting(endpoint).decrementAndGet();
		Timer.builder(WAITS)
			.description("Waits of duplicates for the call in flight with their key, by how they ended")
			.tag("result", end.tag())
			.tag("endpoint", endpoint)
			.register(this.registry)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

	private AtomicInteger waiting(String endpoint) {
		return this.waiting.computeIfAbsent(endpoint, (name) -> {
			AtomicInteger count = new AtomicInteger();
			Gauge.builder(WAITING, count, AtomicInteger::get)
				.description("Duplicates waiting now for the call in flight with their key")
				.tag("endpoint", name)
				.register(this.registry);
			return count;
		});
	}

	@Override
	public void onEviction(boolean evicted) {
		Counter.builder(EVICTIONS)
			.description("Keys evicted by an operator through the idempotency endpoint")
			.tag("result", evicted ? "evicted" : "absent")
			.register(this.registry)
			.increment();
	}

}
