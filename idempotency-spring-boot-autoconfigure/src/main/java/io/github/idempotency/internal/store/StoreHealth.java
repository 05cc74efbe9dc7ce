package io.github.idempotency.internal.store;

import java.util.Map;

/**
 * The health of the idempotency store, independent of the Actuator version that reports
 * it.
 *
 * @param status whether the store answers
 * @param details what the health endpoint shows about the store
 */
public record StoreHealth(Status status, Map<String, Object> details) {

	/** Whether the store answers. */
	public enum Status {

		/** The store answers. */
		UP,

		/** The store does not answer; idempotent requests are refused. */
		DOWN,

		/** The store is the application's own and cannot be checked. */
		UNKNOWN

	}

}
