package io.github.idempotency.internal.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.internal.store.StoreConnection;
import io.github.idempotency.internal.store.StoreHealth;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * Connects the Redis store before it serves requests: opens the shared connection (for a
 * Cluster: learns the topology and opens a connection to every primary), loads the
 * store's scripts there and reads each node's version, one pipelined round trip per node.
 * When every node is Redis 7.0 or newer, the stores it guards claim keys with the plain
 * {@code SET … NX GET PX} instead of a script. Callers arriving while an attempt is under
 * way wait for that attempt instead of opening connections of their own, at most
 * {@code spring.data.redis.connect-timeout} plus the store timeout.
 *
 * <p>
 * Once connected, Lettuce keeps the connection and reconnects by itself after an outage;
 * Jedis opens pooled connections as calls need them.
 */
public final class RedisStoreConnector implements StoreConnection {

	private static final Log logger = LogFactory.getLog(RedisStoreConnector.class);

	private static final long BACKGROUND_RETRY_MILLIS = 500;

	private final RedisConnectionFactory connectionFactory;

	private final RedisDriver driver;

	private final RedisTarget target;

	private final long storeTimeoutNanos;

	private final AtomicReference<CompletableFuture<Boolean>> attempt = new AtomicReference<>();

	private final Object retryLock = new Object();

	private final List<RedisIdempotencyStore> redisStores = new CopyOnWriteArrayList<>();

	private volatile boolean connected;

	private volatile String lastFailure = "";

	private @Nullable ScheduledExecutorService retries;

	/**
	 * Creates a connector.
	 * @param connectionFactory the factory the store uses
	 * @param storeTimeout the longest one command may take on a live connection
	 */
	public RedisStoreConnector(RedisConnectionFactory connectionFactory, Duration storeTimeout) {
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.isTrue(storeTimeout != null && storeTimeout.toNanos() > 0, "storeTimeout must be positive");
		this.connectionFactory = connectionFactory;
		this.driver = RedisDriver.of(connectionFactory);
		this.target = this.driver.target();
		this.storeTimeoutNanos = storeTimeout.toNanos();
	}

	/**
	 * Returns a store that refuses calls with {@link IdempotencyStoreException} until
	 * this connector has connected, so requests never open connections themselves.
	 * @param store the Redis store
	 * @return the guarded store
	 */
	public IdempotencyStore guard(IdempotencyStore store) {
		if (store instanceof RedisIdempotencyStore redisStore) {
			this.redisStores.add(redisStore);
		}
		return new ConnectedStore(store, this);
	}

	@Override
	public boolean connect() {
		if (this.connected) {
			return true;
		}
		CompletableFuture<Boolean> mine = new CompletableFuture<>();
		CompletableFuture<Boolean> current = this.attempt.compareAndExchange(null, mine);
		if (current != null) {
			return join(current);
		}
		try {
			warmUp();
			this.connected = true;
		}
		catch (RuntimeException ex) {
			this.lastFailure = String.valueOf(ex.getMessage());
			logger.debug("Could not connect the idempotency store to " + this.target, ex);
		}
		finally {
			this.attempt.set(null);
			mine.complete(this.connected);
		}
		return this.connected;
	}

	/**
	 * Waits until connected, joining or starting one attempt.
	 * @throws IdempotencyStoreException when the attempt fails
	 */
	void awaitConnected() {
		if (!this.connected && !connect()) {
			throw new IdempotencyStoreException(this.target + " is not connected: " + this.lastFailure, null);
		}
	}

	/**
	 * Fails at once unless connected, and then keeps trying in the background: for
	 * callers that must not wait for a connection attempt.
	 * @throws IdempotencyStoreException when not connected yet
	 */
	void requireConnected() {
		if (!this.connected) {
			connectInBackground();
			throw new IdempotencyStoreException(this.target + " is not connected yet: " + this.lastFailure, null);
		}
	}

	@Override
	public void connectInBackground() {
		synchronized (this.retryLock) {
			if (this.retries != null || this.connected) {
				return;
			}
			this.retries = Executors.newSingleThreadScheduledExecutor((task) -> {
				Thread thread = new Thread(task, "idempotency-store-connect");
				thread.setDaemon(true);
				return thread;
			});
			this.retries.scheduleWithFixedDelay(this::retry, BACKGROUND_RETRY_MILLIS, BACKGROUND_RETRY_MILLIS,
					TimeUnit.MILLISECONDS);
		}
	}

	private void retry() {
		if (connect()) {
			logger.info("The idempotency store " + this.target + " answers now");
			close();
		}
	}

	/**
	 * Sends PING to every node in use, within the store timeout.
	 * @return each node's reply by {@code host:port}
	 * @throws IdempotencyStoreException when not connected or a node does not answer
	 */
	public Map<String, String> ping() {
		if (!this.connected) {
			throw new IdempotencyStoreException("not connected yet: " + this.lastFailure, null);
		}
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return this.driver.ping(connection, this.storeTimeoutNanos);
		}
	}

	/**
	 * @return the mode of the Redis setup: standalone, Sentinel or Cluster
	 */
	public String mode() {
		return this.target.mode();
	}

	/** PING on every node in use answers within the store timeout. */
	@Override
	public StoreHealth health() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("store", "redis");
		details.put("mode", mode());
		try {
			details.put("nodes", ping());
			return new StoreHealth(StoreHealth.Status.UP, details);
		}
		catch (RuntimeException ex) {
			details.put("nodes", target());
			details.put("error", String.valueOf(ex.getMessage()));
			return new StoreHealth(StoreHealth.Status.DOWN, details);
		}
	}

	@Override
	public String target() {
		return this.target.toString();
	}

	@Override
	public String lastFailure() {
		return this.lastFailure;
	}

	@Override
	public void close() {
		synchronized (this.retryLock) {
			if (this.retries != null) {
				this.retries.shutdown();
				this.retries = null;
			}
		}
	}

	private void warmUp() {
		long started = System.nanoTime();
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Map<String, String> versions = this.driver.warmUp(connection,
					this.target.connectTimeout().toNanos() + this.storeTimeoutNanos);
			boolean setNxGet = RedisServerVersion.allTakeSetNxGet(versions.values());
			this.redisStores.forEach((store) -> store.claimWithSetNxGet(setNxGet));
			if (logger.isDebugEnabled()) {
				logger.debug("Idempotency store warm-up: connected to " + this.target + ", loaded "
						+ RedisRecordScripts.ALL.size() + " scripts on " + versions.size() + " node(s) " + versions
						+ " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
						+ " ms, one round trip per node; claims by " + (setNxGet ? "SET NX GET" : "script"));
			}
		}
	}

	private boolean join(CompletableFuture<Boolean> current) {
		try {
			return current.get(this.target.connectTimeout().toNanos() + this.storeTimeoutNanos, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException ex) {
			return false;
		}
	}

}
