/**
 * {@link io.github.idempotency.Idempotent @Idempotent} and what users build on: the store
 * SPI ({@link io.github.idempotency.IdempotencyStore},
 * {@link io.github.idempotency.ClaimResult},
 * {@link io.github.idempotency.StoredResponse}), the exceptions and problem types, the
 * scope resolvers, the response storage policy and the observer.
 *
 * <p>
 * API: within 1.x these types change only in binary-compatible ways.
 */
@NullMarked
package io.github.idempotency;

import org.jspecify.annotations.NullMarked;
