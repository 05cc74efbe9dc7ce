/**
 * The starter's own timers: daemon threads that never keep a JVM alive, and that wake up
 * once per tick rather than once per request.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.timer;

import org.jspecify.annotations.NullMarked;
