/**
 * Auto-configuration of the starter, and its configuration properties
 * ({@link io.github.idempotency.autoconfigure.IdempotencyProperties}, prefix
 * {@code idempotency}).
 *
 * <p>
 * Of this package only the configuration properties are API: the property names and their
 * meaning change only in compatible ways within 1.x. The auto-configuration classes are
 * public because Spring Boot loads them by name; they are not API and may change in any
 * release.
 */
@NullMarked
package io.github.idempotency.autoconfigure;

import org.jspecify.annotations.NullMarked;
