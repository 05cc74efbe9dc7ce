package io.github.idempotency.web;

import java.time.Duration;

/**
 * The resolved settings of one {@code @Idempotent} method, computed once at start-up.
 *
 * @param endpoint the handler method as {@code Controller#method}, used in logs and metrics
 * @param ttl how long the finished response is kept
 * @param lockTimeout how long an unfinished request holds its key
 * @param required whether a request without a key is rejected
 * @param readsBody whether the method takes the request body ({@code @RequestBody} or
 * {@code HttpEntity}), which is then read ahead and fingerprinted
 */
record IdempotentMethod(String endpoint, Duration ttl, Duration lockTimeout, boolean required, boolean readsBody) {
}
