/**
 * Micrometer meters of the server and client halves.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.micrometer;

import org.jspecify.annotations.NullMarked;
