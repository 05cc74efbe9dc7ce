package io.github.idempotency.internal.reactive;

import java.time.Duration;

import io.github.idempotency.internal.http.IdempotentHandler;

import org.springframework.util.Assert;

/**
 * Makes the filters that make WebFlux functional endpoints idempotent; a bean of the WebFlux
 * door. Each endpoint gets its own filter, named for logs and metrics as an annotated handler
 * method would be ({@code Handler#method}), with the application's default TTL and lock
 * timeout unless set on the filter.
 */
public final class ReactiveFilterFunctions {

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

	/**
	 * The filter of one endpoint: a key is required, the body is fingerprinted.
	 * @param endpoint the endpoint's name in logs and metrics, e.g. {@code Payments#create}
	 * @return the filter
	 */
	public ReactiveEndpointFilter endpoint(String endpoint) {
		Assert.hasText(endpoint, "endpoint must not be empty");
		return new ReactiveEndpointFilter(this.decider,
				new IdempotentHandler(endpoint, this.defaultTtl, this.defaultLockTimeout, true, true));
	}

}
