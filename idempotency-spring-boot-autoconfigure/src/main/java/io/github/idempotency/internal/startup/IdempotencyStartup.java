package io.github.idempotency.internal.startup;

import java.time.Duration;

import io.github.idempotency.internal.store.StoreConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Connects the store before the web server accepts traffic, so no request pays for
 * opening connections or loading scripts. Runs in a {@link SmartLifecycle} phase before
 * the web server's. Logs one INFO line naming the store.
 *
 * <p>
 * When the store does not answer, start-up goes on with one WARN and the connection keeps
 * being tried in the background (idempotent requests get 503 until it answers), unless
 * {@code idempotency.startup.wait-for-store} is positive: then start-up waits that long
 * and fails if the store still does not answer.
 */
public final class IdempotencyStartup implements SmartLifecycle {

	/** Before the web server's phase ({@code DEFAULT_PHASE - 2048} in Spring Boot). */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private static final Log logger = LogFactory.getLog(IdempotencyStartup.class);

	private static final long RETRY_PAUSE_MILLIS = 250;

	private final String summary;

	private final StoreConnection connection;

	private final Duration waitForStore;

	private volatile boolean running;

	/**
	 * Creates the start-up step.
	 * @param summary the INFO line naming the store
	 * @param connection the store's connection
	 * @param waitForStore how long start-up waits for the store; zero to not wait
	 */
	public IdempotencyStartup(String summary, StoreConnection connection, Duration waitForStore) {
		this.summary = summary;
		this.connection = connection;
		this.waitForStore = waitForStore;
	}

	@Override
	public void start() {
		logger.info(this.summary);
		this.running = true;
		if (this.connection.connect()) {
			return;
		}
		if (this.waitForStore.isZero() || this.waitForStore.isNegative()) {
			logger.warn("The idempotency store " + this.connection.target() + " does not answer ("
					+ this.connection.lastFailure() + "); starting anyway and retrying in the background. "
					+ "Idempotent requests get 503 until it answers.");
			this.connection.connectInBackground();
			return;
		}
		waitForStore();
	}

	private void waitForStore() {
		long deadline = System.nanoTime() + this.waitForStore.toNanos();
		while (System.nanoTime() - deadline < 0) {
			pause();
			if (this.connection.connect()) {
				return;
			}
		}
		throw new IllegalStateException("The idempotency store " + this.connection.target() + " did not answer within "
				+ this.waitForStore.toMillis() + " ms (idempotency.startup.wait-for-store): "
				+ this.connection.lastFailure()
				+ ". Start it, fix its connection settings (spring.data.redis.* or spring.datasource.*), or set "
				+ "idempotency.startup.wait-for-store=0s to start without it.");
	}

	private void pause() {
		try {
			Thread.sleep(RETRY_PAUSE_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(
					"Interrupted while waiting for the idempotency store " + this.connection.target(), ex);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.connection.close();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
