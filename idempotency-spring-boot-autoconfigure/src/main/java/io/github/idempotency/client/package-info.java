/**
 * The client half: one idempotency key per logical call across its retries, for
 * {@code RestClient}, {@code RestTemplate} and {@code WebClient}, retrying only what is
 * safe to retry.
 *
 * <p>
 * API: within 1.x these types change only in binary-compatible ways.
 */
@NullMarked
package io.github.idempotency.client;

import org.jspecify.annotations.NullMarked;
