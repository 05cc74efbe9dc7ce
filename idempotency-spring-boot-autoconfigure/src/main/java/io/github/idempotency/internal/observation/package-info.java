/**
 * Micrometer observations of calls and store calls, and an observer that never changes a
 * decision.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.observation;

import org.jspecify.annotations.NullMarked;
