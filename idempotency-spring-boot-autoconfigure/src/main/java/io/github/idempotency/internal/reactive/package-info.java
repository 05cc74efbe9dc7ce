/**
 * The WebFlux door: {@code @Idempotent} handler methods and functional endpoints, with
 * store calls that never block an event loop.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.reactive;

import org.jspecify.annotations.NullMarked;
