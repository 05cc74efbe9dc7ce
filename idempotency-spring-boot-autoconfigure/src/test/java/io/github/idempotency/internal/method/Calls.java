package io.github.idempotency.internal.method;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts how often each method's body really ran, per key.
 */
public class Calls {

	private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

	int record(String method, String key) {
		return this.counts.computeIfAbsent(method + " " + key, (k) -> new AtomicInteger()).incrementAndGet();
	}

	/**
	 * Returns how often a method's body ran for a key.
	 * @param method the method's name
	 * @param key the key
	 * @return the number of runs
	 */
	public int count(String method, String key) {
		AtomicInteger count = this.counts.get(method + " " + key);
		return (count != null) ? count.get() : 0;
	}

}
