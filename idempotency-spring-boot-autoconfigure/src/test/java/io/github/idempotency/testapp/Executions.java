package io.github.idempotency.testapp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts how often each test endpoint's business code really ran.
 */
public class Executions {

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	int record(String endpoint) {
		return this.counts.computeIfAbsent(endpoint, (e) -> new AtomicInteger()).incrementAndGet();
	}

	/**
	 * Returns how often an endpoint ran since the last reset.
	 * @param endpoint the endpoint name
	 * @return the number of executions
	 */
	public int count(String endpoint) {
		AtomicInteger count = this.counts.get(endpoint);
		return (count != null) ? count.get() : 0;
	}

	/** Forgets every count. */
	public void reset() {
		this.counts.clear();
	}

}
