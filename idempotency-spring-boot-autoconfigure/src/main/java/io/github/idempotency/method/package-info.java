/**
 * The door off the web, {@code @Idempotent(key = ...)} on any bean method: how return
 * values are stored ({@link io.github.idempotency.method.ReturnValueCodec}, a bean an
 * application may define).
 *
 * <p>
 * API: within 1.x these types change only in binary-compatible ways.
 */
@NullMarked
package io.github.idempotency.method;

import org.jspecify.annotations.NullMarked;
