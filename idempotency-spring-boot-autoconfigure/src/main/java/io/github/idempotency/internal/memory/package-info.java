/**
 * The in-memory store: one JVM's heap, for a first look and for tests.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.memory;

import org.jspecify.annotations.NullMarked;
