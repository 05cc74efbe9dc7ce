/**
 * Scopes from Spring Security, servlet and reactive.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.security;

import org.jspecify.annotations.NullMarked;
