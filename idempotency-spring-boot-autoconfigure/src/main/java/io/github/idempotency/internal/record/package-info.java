/**
 * The record format every built-in store keeps: one compact, versioned binary value per
 * key.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.record;

import org.jspecify.annotations.NullMarked;
