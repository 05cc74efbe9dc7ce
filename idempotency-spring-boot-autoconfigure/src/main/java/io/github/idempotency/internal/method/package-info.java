/**
 * The door off the web: {@code @Idempotent(key = ...)} on any bean method, its key
 * expressions, its return values and their AOT hints.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.method;

import org.jspecify.annotations.NullMarked;
