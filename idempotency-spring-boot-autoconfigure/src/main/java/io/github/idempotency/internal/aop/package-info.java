/**
 * Reading {@code @Idempotent} the same way in every door, and the advisor each door's
 * advice extends.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.aop;

import org.jspecify.annotations.NullMarked;
