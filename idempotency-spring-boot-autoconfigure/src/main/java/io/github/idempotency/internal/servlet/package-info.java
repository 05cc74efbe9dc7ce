/**
 * The Spring MVC door: {@code @Idempotent} handler methods in a servlet application.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.servlet;

import org.jspecify.annotations.NullMarked;
