/**
 * What every store tells start-up and the health component, through one interface.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.store;

import org.jspecify.annotations.NullMarked;
