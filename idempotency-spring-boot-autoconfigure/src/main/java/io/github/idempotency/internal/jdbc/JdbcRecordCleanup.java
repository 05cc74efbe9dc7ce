package io.github.idempotency.internal.jdbc;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Deletes expired records of the JDBC store in the background, never on the request path:
 * every interval (the first run at a random point of the first interval, so instances
 * started together spread out), batches of at most {@code batchSize} rows until a batch
 * comes back short, at most {@value #MAX_BATCHES_PER_RUN} batches a run. Many instances
 * may run it at once: each statement deletes only rows that are expired when it runs, and
 * on PostgreSQL skips rows another instance is deleting. An expired record that is still
 * there is never used: every statement compares {@code expires_at} with the database's
 * clock.
 */
public final class JdbcRecordCleanup implements SmartLifecycle {

	/** Most batches one run deletes; what is left waits for the next run. */
	static final int MAX_BATCHES_PER_RUN = 100;

	private static final Log logger = LogFactory.getLog(JdbcRecordCleanup.class);

	private final JdbcIdempotencyStore store;

	private final Duration interval;

	private final int batchSize;

	private volatile @Nullable ScheduledExecutorService scheduler;

	/**
	 * Creates the clean-up.
	 * @param store the store whose expired records are deleted
	 * @param interval the pause between runs
	 * @param batchSize the most rows one statement deletes
	 */
	public JdbcRecordCleanup(JdbcIdempotencyStore store, Duration interval, int batchSize) {
		Assert.notNull(store, "store must not be null");
		Assert.isTrue(interval != null && interval.toMillis() > 0,
				"idempotency.jdbc.cleanup-interval must be positive");
		Assert.isTrue(batchSize > 0, "idempotency.jdbc.cleanup-batch-size must be positive");
		this.store = store;
		this.interval = interval;
		this.batchSize = batchSize;
	}

	/**
	 * Runs once on the calling thread.
	 * @return how many expired records were deleted
	 */
	public int deleteExpired() {
		int total = 0;
		for (int batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
			int deleted = this.store.deleteExpired(this.batchSize);
			total += deleted;
			if (deleted < this.batchSize) {
				break;
			}
		}
		return total;
	}

	private void run() {
		try {
			long start = System.nanoTime();
			int deleted = deleteExpired();
			if (logger.isDebugEnabled()) {
				logger.debug("Deleted " + deleted + " expired idempotency records from " + this.store.target() + " in "
						+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not delete expired idempotency records from " + this.store.target() + ": "
					+ ex.getMessage() + "; trying again in " + this.interval.toSeconds() + " s");
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "idempotency-jdbc-cleanup");
			thread.setDaemon(true);
			return thread;
		});
		long intervalMillis = this.interval.toMillis();
		scheduler.scheduleWithFixedDelay(this::run, ThreadLocalRandom.current().nextLong(intervalMillis),
				intervalMillis, TimeUnit.MILLISECONDS);
		this.scheduler = scheduler;
	}

	@Override
	public void stop() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.scheduler != null;
	}

}
