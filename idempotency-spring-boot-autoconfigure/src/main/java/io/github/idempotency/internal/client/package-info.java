/**
 * The client half's wiring: the interceptor and filter added to the application's client
 * builders.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.client;

import org.jspecify.annotations.NullMarked;
