/**
 * WebFlux functional endpoints made idempotent:
 * {@link io.github.idempotency.webflux.IdempotencyFilterFunctions}, a bean of reactive
 * web applications, makes the filter of each endpoint.
 *
 * <p>
 * API: within 1.x these types change only in binary-compatible ways.
 */
@NullMarked
package io.github.idempotency.webflux;

import org.jspecify.annotations.NullMarked;
