package io.github.idempotency.internal.reactive;

import io.github.idempotency.internal.aop.IdempotentDurations;
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

	private final IdempotentDurations defaults;

	/**
	 * Creates the factory.
	 * @param decider decides what happens to each request
	 * @param defaults the durations of filters that do not set their own
	 */
	public ReactiveFilterFunctions(ReactiveDecider decider, IdempotentDurations defaults) {
		Assert.notNull(decider, "decider must not be null");
		Assert.notNull(defaults, "defaults must not be null");
		this.decider = decider;
		this.defaults = defaults;
	}

	@Override
	public IdempotencyHandlerFilterFunction endpoint(String endpoint) {
		Assert.hasText(endpoint, "endpoint must not be empty");
		return new ReactiveEndpointFilter(this.decider, new IdempotentHandler(endpoint, this.defaults, true, true));
	}

}
