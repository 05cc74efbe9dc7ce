package io.github.idempotency.internal.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyClaimLostException;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.RecordInspection;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.record.RecordCodec;
import io.github.idempotency.jdbc.JdbcStoreSql;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} in a table of the application's database, through Spring's
 * {@link JdbcTemplate}. A row holds the storage key, the state ({@code P} claimed,
 * {@code E} took effect, {@code C} completed), the owner token of the claim, where the
 * fingerprint ends in the record, when the claim's lock ends and when the row expires on
 * the database's clock, and the same {@link RecordCodec} bytes the Redis store keeps.
 *
 * <p>
 * While a call runs with its claim ({@link #executing}), every transaction it commits on
 * this store's database marks the record executed just before it commits, on the same
 * connection: the call's changes and the mark commit together or not at all. A record
 * that took effect is never claimed again until it expires; once its lock has passed
 * without a stored response (the instance died after the commit), a claim reports
 * {@link ClaimResult.Executed}.
 *
 * <p>
 * Each call is one statement in the common case ({@link JdbcStoreSql}) and commits on its
 * own, outside any transaction of the caller, so other instances see a claim at once.
 * Calls run on a small pool of threads this store owns and the caller waits at most the
 * store timeout, which also bounds waiting for a pooled connection while the database is
 * down; each statement also carries the store timeout (rounded up to whole seconds) as
 * its query timeout. A claim that timed out but committed later is released once it
 * completes.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore, AutoCloseable {

	/**
	 * Threads that run statements at once; further calls queue and wait within their
	 * timeout.
	 */
	static final int THREADS = 16;

	/** Calls that may wait for a thread; beyond it a call fails at once. */
	static final int QUEUE = 1024;

	private static final int CLAIM_ATTEMPTS = 5;

	private static final Log logger = LogFactory.getLog(JdbcIdempotencyStore.class);

	private final JdbcTemplate jdbc;

	private final JdbcStoreSql sql;

	private final RecordCodec codec;

	private final long timeoutNanos;

	private final String target;

	private final ThreadPoolExecutor executor;

	private final DataSource dataSource;

	private final ThreadLocal<RunningCall> running = new ThreadLocal<>();

	/**
	 * Creates a store.
	 * @param dataSource the database
	 * @param sql the statements for it
	 * @param codec encodes and reads the records
	 * @param storeTimeout the longest a call may take, waiting for a connection included
	 * @param target what the start-up line and errors call the store, e.g.
	 * {@code PostgreSQL 16.4, table idempotency_records}
	 */
	public JdbcIdempotencyStore(DataSource dataSource, JdbcStoreSql sql, RecordCodec codec, Duration storeTimeout,
			String target) {
		Assert.notNull(dataSource, "dataSource must not be null");
		Assert.notNull(sql, "sql must not be null");
		Assert.notNull(codec, "codec must not be null");
		Assert.isTrue(storeTimeout != null && storeTimeout.toNanos() > 0, "storeTimeout must be positive");
		this.dataSource = dataSource;
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.setQueryTimeout((int) Math.max(1, (storeTimeout.toMillis() + 999) / 1000));
		this.sql = sql;
		this.codec = codec;
		this.timeoutNanos = storeTimeout.toNanos();
		this.target = target;
		AtomicInteger threads = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE),
				(task) -> {
					Thread thread = new Thread(task, "idempotency-jdbc-" + threads.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.executor.allowCoreThreadTimeOut(true);
	}

	@Override
	public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
		byte[] record = this.codec.inFlight(fingerprint, owner);
		return call(() -> claimNow(key, owner, record, lockTimeout.toMillis()), (late) -> {
			if (late instanceof ClaimResult.Claimed) {
				this.jdbc.update(this.sql.release(), key, owner);
			}
		});
	}

	private ClaimResult claimNow(String key, String owner, byte[] record, long lockTimeoutMillis) {
		int fingerprintEnd = RecordCodec.fingerprintEnd(record);
		for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
			ClaimResult result = (this.sql.claim() != null)
					? first(this.jdbc.query(this.sql.claim(), rows(key), key, owner, fingerprintEnd, lockTimeoutMillis,
							lockTimeoutMillis, record, key))
					: insertOrTakeOver(key, owner, fingerprintEnd, record, lockTimeoutMillis);
			if (result == null) {
				result = first(this.jdbc.query(this.sql.read(), rows(key), key));
			}
			if (result != null) {
				return result;
			}
		}
		throw new IdempotencyStoreException("Could not claim a key in " + this.target + " after " + CLAIM_ATTEMPTS
				+ " attempts: its record kept changing", null);
	}

	private @Nullable ClaimResult insertOrTakeOver(String key, String owner, int fingerprintEnd, byte[] record,
			long lockTimeoutMillis) {
		try {
			this.jdbc.update(this.sql.insert(), key, owner, fingerprintEnd, lockTimeoutMillis, lockTimeoutMillis,
					record);
			return ClaimResult.CLAIMED;
		}
		catch (DuplicateKeyException ex) {
			int taken = this.jdbc.update(this.sql.takeOver(), owner, fingerprintEnd, lockTimeoutMillis,
					lockTimeoutMillis, record, key);
			return (taken == 1) ? ClaimResult.CLAIMED : null;
		}
	}

	@Override
	public boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
		RecordCodec.Finished finished = this.codec.finished(response, key);
		return call(() -> this.jdbc.update(this.sql.complete(), finished.head(), finished.tail(), ttl.toMillis(), key,
				owner) == 1, null);
	}

	@Override
	public boolean release(String key, String owner) {
		return call(() -> this.jdbc.update(this.sql.release(), key, owner) == 1, null);
	}

	/** One statement on the database's clock, owner-checked. */
	@Override
	public boolean renew(String key, String owner, Duration lockTimeout) {
		long millis = lockTimeout.toMillis();
		return call(() -> this.jdbc.update(this.sql.renew(), millis, millis, key, owner) == 1, null);
	}

	@Override
	public @Nullable RecordInspection inspect(String key) {
		List<RecordInspection> found = call(() -> this.jdbc.query(this.sql.inspect(), (rs, rowNum) -> {
			ClaimResult record = row(rs, key);
			long expiresIn = rs.getLong(4);
			Duration remaining = (record instanceof ClaimResult.InFlight inFlight) ? inFlight.expiresIn()
					: Duration.ofMillis(Math.max(1, expiresIn));
			return new RecordInspection(record, remaining);
		}, key), null);
		return found.isEmpty() ? null : found.get(0);
	}

	@Override
	public boolean evict(String key) {
		return call(() -> this.jdbc.update(this.sql.evict(), key) == 1, null);
	}

	/**
	 * Marks the claim executed inside every transaction the call commits on this store's
	 * database while the scope is open: one already active, and each that begins later
	 * ({@link JdbcTransactionListener}). Read-only transactions are left alone.
	 */
	@Override
	public Execution executing(String key, String owner, Duration ttl) {
		RunningCall call = new RunningCall(key, owner, ttl.toMillis(), this.running.get());
		this.running.set(call);
		joinTransaction(call);
		return call;
	}

	/**
	 * A transaction began on the calling thread: a call running in a scope of
	 * {@link #executing} marks its claim executed when that transaction commits.
	 */
	void transactionBegun() {
		RunningCall call = this.running.get();
		if (call != null) {
			joinTransaction(call);
		}
	}

	private void joinTransaction(RunningCall call) {
		if (TransactionSynchronizationManager.isSynchronizationActive()
				&& !TransactionSynchronizationManager.isCurrentTransactionReadOnly()
				&& TransactionSynchronizationManager.getResource(this.dataSource) != null) {
			TransactionSynchronizationManager.registerSynchronization(new MarkExecuted(call));
		}
	}

	/**
	 * Deletes expired records, at most {@code batchSize} in one statement, on the calling
	 * thread.
	 * @param batchSize the most rows one statement deletes
	 * @return how many were deleted
	 */
	int deleteExpired(int batchSize) {
		return this.jdbc.update(this.sql.deleteExpired(), batchSize);
	}

	/**
	 * Checks that the table answers, within the store timeout.
	 * @throws IdempotencyStoreException when it does not
	 */
	public void probe() {
		call(() -> this.jdbc.query(this.sql.probe(), (rs, n) -> rs.getString(1), ""), null);
	}

	/**
	 * Prepares the store before it serves requests, on the calling thread: starts its
	 * threads and runs one query on the table, which opens a connection of the pool.
	 * Bounded by the pool's connection timeout and the query timeout, not by the store
	 * timeout, as opening a connection may take longer than one call.
	 * @throws IdempotencyStoreException when the table does not answer
	 */
	void warmUp() {
		this.executor.prestartAllCoreThreads();
		translate(() -> this.jdbc.query(this.sql.probe(), (rs, n) -> rs.getString(1), ""));
	}

	/**
	 * @return what the store is, e.g. {@code PostgreSQL 16.4, table idempotency_records}
	 */
	public String target() {
		return this.target;
	}

	private RowMapper<ClaimResult> rows(String key) {
		return (rs, rowNum) -> row(rs, key);
	}

	private ClaimResult row(ResultSet rs, String key) throws SQLException {
		String state = rs.getString(1);
		if ("N".equals(state)) {
			return ClaimResult.CLAIMED;
		}
		ClaimResult result = this.codec.decode(rs.getBytes(2), key);
		if (result instanceof ClaimResult.InFlight inFlight) {
			long lockedFor = rs.getLong(3);
			if ("E".equals(state) && lockedFor <= 0) {
				return new ClaimResult.Executed(inFlight.fingerprint());
			}
			return new ClaimResult.InFlight(inFlight.fingerprint(), Duration.ofMillis(Math.max(1, lockedFor)));
		}
		return result;
	}

	private static @Nullable ClaimResult first(List<ClaimResult> results) {
		return results.isEmpty() ? null : results.get(0);
	}

	private <T> T call(Supplier<T> statement, @Nullable Consumer<T> undoLate) {
		CompletableFuture<T> reply;
		try {
			reply = CompletableFuture.supplyAsync(() -> translate(statement), this.executor);
		}
		catch (RejectedExecutionException ex) {
			throw new IdempotencyStoreException("Too many database calls in flight (" + THREADS + " running, " + QUEUE
					+ " waiting) for " + this.target, ex);
		}
		try {
			return reply.get(this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			if (undoLate != null) {
				reply.thenAcceptAsync((late) -> translate(() -> {
					undoLate.accept(late);
					return null;
				}), this.executor).exceptionally((failure) -> {
					logger.debug("Could not undo a timed-out call", failure);
					return null;
				});
			}
			throw new IdempotencyStoreException(this.target + " did not answer within "
					+ TimeUnit.NANOSECONDS.toMillis(this.timeoutNanos) + " ms (idempotency.store-timeout)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IdempotencyStoreException("Interrupted while waiting for " + this.target, ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IdempotencyStoreException(this.target + " failed", ex.getCause());
		}
	}

	private <T> T translate(Supplier<T> statement) {
		try {
			return statement.get();
		}
		catch (BadSqlGrammarException ex) {
			throw new IdempotencyStoreException(
					this.target + " refused the store's SQL (" + ex.getMostSpecificCause().getMessage()
							+ "); does the table exist? Create it from the schema script in the starter's jar, or set "
							+ "idempotency.jdbc.initialize-schema=always",
					ex);
		}
		catch (DataAccessException ex) {
			throw new IdempotencyStoreException(this.target + " failed: " + ex.getMostSpecificCause().getMessage(), ex);
		}
	}

	/** A call holding a claim, running on this thread. */
	private final class RunningCall implements Execution {

		private final String key;

		private final String owner;

		private final long ttlMillis;

		private final RunningCall outer;

		RunningCall(String key, String owner, long ttlMillis, RunningCall outer) {
			this.key = key;
			this.owner = owner;
			this.ttlMillis = ttlMillis;
			this.outer = outer;
		}

		@Override
		public void close() {
			if (this.outer != null) {
				JdbcIdempotencyStore.this.running.set(this.outer);
			}
			else {
				JdbcIdempotencyStore.this.running.remove();
			}
		}

	}

	/**
	 * Marks a claim executed in the transaction that commits the call's changes, just
	 * before it commits, on the transaction's own connection. A claim that was lost (it
	 * expired and another call took the key) fails the commit, so the transaction rolls
	 * back and the call does not take effect twice.
	 */
	private final class MarkExecuted implements TransactionSynchronization {

		private final RunningCall call;

		MarkExecuted(RunningCall call) {
			this.call = call;
		}

		@Override
		public void beforeCommit(boolean readOnly) {
			if (readOnly) {
				return;
			}
			int marked = JdbcIdempotencyStore.this.jdbc.update(JdbcIdempotencyStore.this.sql.markExecuted(),
					this.call.ttlMillis, this.call.key, this.call.owner);
			if (marked != 1) {
				String message = "A call with key " + this.call.key + " ran, but its claim expired and another request "
						+ "took the key over before the call's transaction committed (no renewal reached the database "
						+ "within the lock timeout); its transaction is rolled back so nothing of it takes effect, and the "
						+ "other request's result stands";
				logger.warn(message);
				throw new IdempotencyClaimLostException(message);
			}
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

	}

	/** Stops the store's threads; called when the application context closes. */
	@Override
	public void close() {
		this.executor.shutdown();
	}

	@Override
	public String toString() {
		return "JdbcIdempotencyStore[" + this.target + "]";
	}

}
