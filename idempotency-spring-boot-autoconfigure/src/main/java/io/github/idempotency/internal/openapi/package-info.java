/**
 * The springdoc customizer that documents {@code @Idempotent} operations.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.openapi;

import org.jspecify.annotations.NullMarked;
