/**
 * The JDBC store's extension points: its statements
 * ({@link io.github.idempotency.jdbc.JdbcStoreSql}, a bean an application may define) and
 * the databases it speaks to ({@link io.github.idempotency.jdbc.JdbcPlatform}).
 *
 * <p>
 * API: within 1.x these types change only in binary-compatible ways.
 */
@NullMarked
package io.github.idempotency.jdbc;

import org.jspecify.annotations.NullMarked;
