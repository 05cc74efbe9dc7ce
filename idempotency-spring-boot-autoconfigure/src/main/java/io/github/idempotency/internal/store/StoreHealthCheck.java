package io.github.idempotency.internal.store;

/**
 * Checks a store that reports its own health, such as the JDBC store; the {@code idempotency}
 * health component uses it when the application context has one.
 */
@FunctionalInterface
public interface StoreHealthCheck {

	/** @return the store's health now */
	StoreHealth check();

}
