/**
 * The starter's implementation, one concern per package.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal;

import org.jspecify.annotations.NullMarked;
