/**
 * Kafka listener containers: the back-off that retries a record whose
 * {@code @Idempotent(key = ...)} listener found its key in flight, for applications with
 * an error handler of their own.
 *
 * <p>
 * API: within 1.x these types change only in binary-compatible ways.
 */
@NullMarked
package io.github.idempotency.kafka;

import org.jspecify.annotations.NullMarked;
