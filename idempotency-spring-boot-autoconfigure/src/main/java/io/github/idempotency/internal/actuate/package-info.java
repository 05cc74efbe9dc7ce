/**
 * Actuator: the {@code idempotency} health component's membership in the readiness group.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.actuate;

import org.jspecify.annotations.NullMarked;
