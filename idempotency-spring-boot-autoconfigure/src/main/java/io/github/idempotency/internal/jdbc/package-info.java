/**
 * The JDBC store: the application's database, one statement per store call in the common
 * case, the database's clock, the shipped schema, the clean-up, and the transaction
 * listener that marks a call executed in the transaction that commits its changes.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.jdbc;

import org.jspecify.annotations.NullMarked;
