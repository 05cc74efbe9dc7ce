/**
 * Adapters to the Spring Boot 4 APIs that differ from Spring Boot 3 (Actuator health,
 * Lettuce client resources), imported only on Spring Boot 4.
 *
 * <p>
 * Not API: may change in any release.
 */
@NullMarked
package io.github.idempotency.autoconfigure.boot4;

import org.jspecify.annotations.NullMarked;
