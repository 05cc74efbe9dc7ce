package io.github.idempotency.webflux;

import java.time.Duration;

import org.springframework.web.reactive.function.server.HandlerFilterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The filter that makes the routes of one WebFlux functional endpoint idempotent, made by
 * {@link IdempotencyFilterFunctions}. The body is read ahead (within
 * {@code idempotency.max-body-size}) and fingerprinted, the key claimed, and the handler
 * function runs with the same body; a replay or a problem is answered without calling it.
 * Immutable: each method returns a new filter.
 */
public interface IdempotencyHandlerFilterFunction extends HandlerFilterFunction<ServerResponse, ServerResponse> {

	/**
	 * The same filter, with another time finished responses are kept.
	 * @param ttl the TTL, at least 1 ms
	 * @return a new filter
	 */
	IdempotencyHandlerFilterFunction ttl(Duration ttl);

	/**
	 * The same filter, with another time an unfinished request holds its key.
	 * @param lockTimeout the lock timeout, at least 1 ms
	 * @return a new filter
	 */
	IdempotencyHandlerFilterFunction lockTimeout(Duration lockTimeout);

	/**
	 * The same filter, with another time a duplicate of a request in flight waits for it,
	 * as {@code @Idempotent(waitForInProgress = ...)} sets it.
	 * @param wait the longest wait; zero answers 409 at once
	 * @return a new filter
	 */
	IdempotencyHandlerFilterFunction waitForInProgress(Duration wait);

	/**
	 * The same filter, letting requests without a key through unprotected instead of
	 * answering them 400, as {@code @Idempotent(required = false)} does.
	 * @return a new filter
	 */
	IdempotencyHandlerFilterFunction keyOptional();

}
