package io.github.idempotency.internal.reactive;

import java.time.Duration;

import io.github.idempotency.internal.http.IdempotentHandler;
import io.github.idempotency.webflux.IdempotencyFilterFunctions;
import io.github.idempotency.webflux.IdempotencyHandlerFilterFunction;

import org.springframework.util.Assert;

/**
 * Makes the filters that make WebFlux functional endpoints idempotent, each an
 * {@link ReactiveEndpointFilter} on the door's decision step.
 */
public final class ReactiveFilterFunctions implements IdempotencyFilterFunctions {

	private final ReactiveDecider decider;

	private final Duration defaultTtl;

	private final Duration defaultLockTimeout;

	/**
	 * Creates the factory.
	 * @param decider decides what happens to each request
	 * @param defaultTtl how long finished responses are kept
	 * @param defaultLockTimeout how long an unfinished request holds its key
	 */
	public ReactiveFilterFunctions(ReactiveDecider decider, Duration defaultTtl, Duration defaultLockTimeout) {
		Assert.notNull(decider, "decider must not be null");
		this.decider = decider;
		this.defaultTtl = defaultTtl;
		this.defaultLockTimeout = defaultLockTimeout;
	}

	@Override
	public IdempotencyHandlerFilterFunction endpoint(String endpoint) {
		Assert.hasText(endpoint, "endpoint must not be empty");
		return new ReactiveEndpointFilter(this.decider,
				new IdempotentHandler(endpoint, this.defaultTtl, this.defaultLockTimeout, true, true));
	}

}
