package io.github.idempotency.internal.jdbc;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.transaction.TransactionExecution;
import org.springframework.transaction.TransactionExecutionListener;
import org.springframework.util.Assert;

/**
 * Tells the JDBC store that a transaction began, so a call running with a claim marks it
 * executed when that transaction commits. Added to every transaction manager of the
 * application (Spring's {@code ConfigurableTransactionManager}:
 * {@code DataSourceTransactionManager}, {@code JdbcTransactionManager},
 * {@code JpaTransactionManager}); transactions on another database are ignored by the
 * store.
 */
public final class JdbcTransactionListener implements TransactionExecutionListener {

	private final Supplier<JdbcIdempotencyStore> store;

	/**
	 * Creates the listener.
	 * @param store the store, looked up on first use; {@code null} when there is none
	 */
	public JdbcTransactionListener(Supplier<JdbcIdempotencyStore> store) {
		Assert.notNull(store, "store must not be null");
		this.store = store;
	}

	@Override
	public void afterBegin(TransactionExecution transaction, @Nullable Throwable beginFailure) {
		if (beginFailure == null && !transaction.isReadOnly()) {
			JdbcIdempotencyStore current = this.store.get();
			if (current != null) {
				current.transactionBegun();
			}
		}
	}

}
