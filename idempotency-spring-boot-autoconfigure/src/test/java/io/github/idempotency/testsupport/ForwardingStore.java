package io.github.idempotency.testsupport;

import java.time.Duration;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;

/**
 * A store double that forwards the three required calls to a real store, so a test
 * overrides only the call it watches or changes. The optional calls keep the SPI's
 * defaults, as an application's own store that implements only the required ones.
 */
public interface ForwardingStore extends IdempotencyStore {

	/**
	 * The store the calls go to.
	 * @return the real store
	 */
	IdempotencyStore delegate();

	@Override
	default ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
		return delegate().claim(key, owner, fingerprint, lockTimeout);
	}

	@Override
	default boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
		return delegate().complete(key, owner, response, ttl);
	}

	@Override
	default boolean release(String key, String owner) {
		return delegate().release(key, owner);
	}

}
