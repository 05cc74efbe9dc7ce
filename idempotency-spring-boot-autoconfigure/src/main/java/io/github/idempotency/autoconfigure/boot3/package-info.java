/**
 * Adapters to the Spring Boot 3 APIs that Spring Boot 4 changed (Actuator health, Lettuce
 * client resources), imported only on Spring Boot 3.
 *
 * <p>
 * Not API: may change in any release.
 */
@NullMarked
package io.github.idempotency.autoconfigure.boot3;

import org.jspecify.annotations.NullMarked;
