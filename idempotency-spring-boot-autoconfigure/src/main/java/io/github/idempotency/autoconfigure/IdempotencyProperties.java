package io.github.idempotency.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.github.idempotency.StoreFailureMode;
import io.github.idempotency.internal.aop.IdempotentDurations;
import io.github.idempotency.jdbc.JdbcPlatform;
import io.github.idempotency.jdbc.JdbcStoreSql;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for idempotent endpoints.
 */
@ConfigurationProperties("idempotency")
public class IdempotencyProperties {

	/**
	 * Whether @Idempotent is applied.
	 */
	private boolean enabled = true;

	/**
	 * Where claims and responses are kept. Defaults to redis when a
	 * RedisConnectionFactory exists, otherwise in-memory; jdbc (the application's
	 * DataSource) only when set.
	 */
	private @Nullable Store store;

	/**
	 * How long a finished response is replayed for retries with the same key.
	 */
	private Duration ttl = Duration.ofHours(24);

	/**
	 * How long an unfinished request holds its key without a renewal: the key of a
	 * crashed instance is free again this long after its last renewal.
	 */
	private Duration lockTimeout = Duration.ofSeconds(30);

	/**
	 * How long the claim of a running call is renewed at most: every third of its lock
	 * timeout its lock is extended by another lock timeout, so a call slower than
	 * lock-timeout is never run twice while a crashed instance's key frees itself one
	 * lock timeout after its last renewal. After this long a call's claim lives out its
	 * lock timeout, so a hung call frees its key. 0 switches renewal off.
	 */
	private Duration renewalLimit = Duration.ofMinutes(10);

	/**
	 * How long a duplicate that arrives while the first request with its key runs waits
	 * for it: it then receives the first request's response (a replay), or runs itself
	 * should the first give its key up; past this time it gets 409 with Retry-After. The
	 * wait holds no request thread. 0 answers 409 at once.
	 */
	private Duration waitForInProgress = Duration.ZERO;

	/**
	 * Request header that carries the idempotency key.
	 */
	private String headerName = "Idempotency-Key";

	/**
	 * First segment of every key in the store.
	 */
	private String keyPrefix = "idempotency";

	/**
	 * What happens when the store fails or does not answer within store-timeout:
	 * fail-closed refuses the request with 503, fail-open runs it without idempotency.
	 */
	private StoreFailureMode storeFailure = StoreFailureMode.FAIL_CLOSED;

	/**
	 * Longest time one store call may take before it counts as a store failure. An Redis
	 * call is failed on a 10 ms tick, so at most 10 ms after this.
	 */
	private Duration storeTimeout = Duration.ofSeconds(1);

	/**
	 * Largest request body that is fingerprinted (larger ones get 413) and largest
	 * response body that is stored (larger ones are sent but not stored, so a retry runs
	 * again).
	 */
	private DataSize maxBodySize = DataSize.ofMegabytes(1);

	/**
	 * Response statuses below 500 that are not stored: the key is released and a retry
	 * runs again. Responses with 5xx statuses are never stored.
	 */
	private Set<Integer> unstoredStatuses = new LinkedHashSet<>(Set.of(408, 409, 425, 429));

	/**
	 * Order of the idempotency aspect among other advice; the default runs it outside
	 * transactions.
	 */
	private int aspectOrder = 0;

	/**
	 * Order of the servlet filter that buffers and settles responses.
	 */
	private int filterOrder = 0;

	private final InMemory inMemory = new InMemory();

	private final Jdbc jdbc = new Jdbc();

	private final Replication replication = new Replication();

	private final Observations observations = new Observations();

	private final Startup startup = new Startup();

	private final Redis redis = new Redis();

	private final Compression compression = new Compression();

	private final Encryption encryption = new Encryption();

	private final Listener listener = new Listener();

	private final Client client = new Client();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Store getStore() {
		return this.store;
	}

	public void setStore(@Nullable Store store) {
		this.store = store;
	}

	public Duration getTtl() {
		return this.ttl;
	}

	public void setTtl(Duration ttl) {
		this.ttl = ttl;
	}

	public Duration getLockTimeout() {
		return this.lockTimeout;
	}

	public void setLockTimeout(Duration lockTimeout) {
		this.lockTimeout = lockTimeout;
	}

	public Duration getRenewalLimit() {
		return this.renewalLimit;
	}

	public void setRenewalLimit(Duration renewalLimit) {
		this.renewalLimit = renewalLimit;
	}

	public Duration getWaitForInProgress() {
		return this.waitForInProgress;
	}

	public void setWaitForInProgress(Duration waitForInProgress) {
		this.waitForInProgress = waitForInProgress;
	}

	/**
	 * The durations methods that set none use.
	 * @return the global TTL, lock timeout and wait for a call in flight
	 */
	IdempotentDurations durations() {
		return new IdempotentDurations(this.ttl, this.lockTimeout, this.waitForInProgress);
	}

	public String getHeaderName() {
		return this.headerName;
	}

	public void setHeaderName(String headerName) {
		this.headerName = headerName;
	}

	public String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

	public StoreFailureMode getStoreFailure() {
		return this.storeFailure;
	}

	public void setStoreFailure(StoreFailureMode storeFailure) {
		this.storeFailure = storeFailure;
	}

	public Duration getStoreTimeout() {
		return this.storeTimeout;
	}

	public void setStoreTimeout(Duration storeTimeout) {
		this.storeTimeout = storeTimeout;
	}

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		this.maxBodySize = maxBodySize;
	}

	public Set<Integer> getUnstoredStatuses() {
		return this.unstoredStatuses;
	}

	public void setUnstoredStatuses(Set<Integer> unstoredStatuses) {
		this.unstoredStatuses = unstoredStatuses;
	}

	public int getAspectOrder() {
		return this.aspectOrder;
	}

	public void setAspectOrder(int aspectOrder) {
		this.aspectOrder = aspectOrder;
	}

	public int getFilterOrder() {
		return this.filterOrder;
	}

	public void setFilterOrder(int filterOrder) {
		this.filterOrder = filterOrder;
	}

	public InMemory getInMemory() {
		return this.inMemory;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Observations getObservations() {
		return this.observations;
	}

	public Replication getReplication() {
		return this.replication;
	}

	public Startup getStartup() {
		return this.startup;
	}

	public Redis getRedis() {
		return this.redis;
	}

	public Compression getCompression() {
		return this.compression;
	}

	public Encryption getEncryption() {
		return this.encryption;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Client getClient() {
		return this.client;
	}

	/**
	 * Which store keeps claims and responses.
	 */
	public enum Store {

		/** Redis through Spring Data Redis (Lettuce or Jedis). */
		REDIS,

		/** The heap of this JVM; for development and single instances. */
		IN_MEMORY,

		/**
		 * A table of the application's database ({@code DataSource}): PostgreSQL, MySQL,
		 * MariaDB or H2.
		 */
		JDBC

	}

	/**
	 * Settings of the in-memory store.
	 */
	public static class InMemory {

		/**
		 * Most records the in-memory store keeps; claims beyond it are refused as a store
		 * failure.
		 */
		private int maxEntries = 100_000;

		public int getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(int maxEntries) {
			this.maxEntries = maxEntries;
		}

	}

	/**
	 * Settings of the JDBC store ({@code idempotency.store=jdbc}).
	 */
	public static class Jdbc {

		/**
		 * Table of the records, optionally schema-qualified.
		 */
		private String tableName = JdbcStoreSql.DEFAULT_TABLE;

		/**
		 * When to create the table at start-up if it does not exist: only on an embedded
		 * database (H2, HSQLDB, Derby), always, or never (create it with a migration from
		 * the schema script in the starter's jar).
		 */
		private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

		/**
		 * The database's SQL dialect; detected from the database at start-up when not
		 * set. Set it to start while the database is down, or for a database compatible
		 * with one of these.
		 */
		private @Nullable JdbcPlatform platform;

		/**
		 * Pause between two runs of the clean-up that deletes expired records.
		 */
		private Duration cleanupInterval = Duration.ofMinutes(1);

		/**
		 * Most expired records one clean-up statement deletes.
		 */
		private int cleanupBatchSize = 1000;

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			this.tableName = tableName;
		}

		public SchemaInitialization getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(SchemaInitialization initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public @Nullable JdbcPlatform getPlatform() {
			return this.platform;
		}

		public void setPlatform(@Nullable JdbcPlatform platform) {
			this.platform = platform;
		}

		public Duration getCleanupInterval() {
			return this.cleanupInterval;
		}

		public void setCleanupInterval(Duration cleanupInterval) {
			this.cleanupInterval = cleanupInterval;
		}

		public int getCleanupBatchSize() {
			return this.cleanupBatchSize;
		}

		public void setCleanupBatchSize(int cleanupBatchSize) {
			this.cleanupBatchSize = cleanupBatchSize;
		}

	}

	/**
	 * When the JDBC store creates its table.
	 */
	public enum SchemaInitialization {

		/** Only on an embedded database (H2, HSQLDB, Derby). */
		EMBEDDED,

		/** Always, unless the table exists. */
		ALWAYS,

		/** Never: the table comes from a migration. */
		NEVER

	}

	/**
	 * Observations (Micrometer Observation) of idempotent calls and their store calls.
	 */
	public static class Observations {

		/**
		 * Whether each idempotent call, and each store call inside it, is an observation
		 * (with tracing, a span). Unset: only when the application has a Micrometer
		 * Tracing Tracer; without one the observations would only repeat the
		 * idempotency.requests and idempotency.store meters, at a cost on every request.
		 */
		private @Nullable Boolean enabled;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Waiting for Redis replicas, so that a failover cannot silently lose a claim.
	 */
	public static class Replication {

		/**
		 * Replicas that must acknowledge each claim and each stored response (Redis WAIT)
		 * before the request goes on; 0 does not wait. A claim acknowledged by fewer is
		 * released and the request refused as a store failure.
		 */
		private int minReplicas = 0;

		/**
		 * Longest time to wait for the replicas' acknowledgement.
		 */
		private Duration timeout = Duration.ofMillis(500);

		public int getMinReplicas() {
			return this.minReplicas;
		}

		public void setMinReplicas(int minReplicas) {
			this.minReplicas = minReplicas;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * What start-up does when the store does not answer.
	 */
	public static class Startup {

		/**
		 * How long start-up waits for the store to answer before it fails; 0s starts
		 * without it, keeps trying in the background and answers idempotent requests with
		 * 503 until it answers.
		 */
		private Duration waitForStore = Duration.ZERO;

		public Duration getWaitForStore() {
			return this.waitForStore;
		}

		public void setWaitForStore(Duration waitForStore) {
			this.waitForStore = waitForStore;
		}

	}

	/**
	 * Settings of the Redis store's client.
	 */
	public static class Redis {

		/**
		 * Longest pause between Lettuce's attempts to reconnect after losing Redis
		 * (Lettuce's own default grows to 30s). Applied to the client resources Spring
		 * Boot builds; a ClientResourcesBuilderCustomizer of the application that sets a
		 * reconnect delay wins.
		 */
		private Duration maxReconnectDelay = Duration.ofSeconds(1);

		public Duration getMaxReconnectDelay() {
			return this.maxReconnectDelay;
		}

		public void setMaxReconnectDelay(Duration maxReconnectDelay) {
			this.maxReconnectDelay = maxReconnectDelay;
		}

	}

	/**
	 * What RabbitMQ and Kafka listener containers do with a delivery whose
	 * {@code @Idempotent(key = ...)} listener finds its key still in flight.
	 */
	public static class Listener {

		/**
		 * Whether the starter configures the listener containers (RabbitMQ: wait, then
		 * requeue; Kafka: retry with back-off until the key is free).
		 */
		private boolean enabled = true;

		/**
		 * First pause before a delivery whose key is in flight is tried again.
		 */
		private Duration initialInterval = Duration.ofMillis(100);

		/**
		 * Longest pause between two tries; the pause doubles from initial-interval up to
		 * it.
		 */
		private Duration maxInterval = Duration.ofSeconds(1);

		/**
		 * RabbitMQ only: longest time a delivery waits on its consumer for a key in
		 * flight before it is requeued; Kafka retries the record until the key is free.
		 */
		private Duration maxWait = Duration.ofSeconds(60);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

		public Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(Duration maxWait) {
			this.maxWait = maxWait;
		}

	}

	/**
	 * The client half: RestClient, RestTemplate and WebClient calls to idempotent APIs.
	 */
	public static class Client {

		/**
		 * Whether the RestClient.Builder, RestTemplate and WebClient.Builder beans of the
		 * application send an idempotency key with every request of the chosen methods
		 * and retry such a call with the same key.
		 */
		private boolean enabled = false;

		/**
		 * Request methods that get a key and are retried with it.
		 */
		private Set<String> methods = new LinkedHashSet<>(Set.of("POST", "PATCH"));

		/**
		 * Request header that carries the key.
		 */
		private String headerName = "Idempotency-Key";

		/**
		 * Most attempts per call, the first included; 1 retries nothing.
		 */
		private int maxAttempts = 3;

		/**
		 * Pause before the second attempt; it doubles, with jitter, up to max-backoff.
		 */
		private Duration initialBackoff = Duration.ofMillis(200);

		/**
		 * Longest pause between two attempts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(2);

		/**
		 * Longest Retry-After (409 while the first request still runs, 503) that is
		 * waited.
		 */
		private Duration maxRetryAfter = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Set<String> getMethods() {
			return this.methods;
		}

		public void setMethods(Set<String> methods) {
			this.methods = methods;
		}

		public String getHeaderName() {
			return this.headerName;
		}

		public void setHeaderName(String headerName) {
			this.headerName = headerName;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

		public Duration getMaxRetryAfter() {
			return this.maxRetryAfter;
		}

		public void setMaxRetryAfter(Duration maxRetryAfter) {
			this.maxRetryAfter = maxRetryAfter;
		}

	}

	/**
	 * Compression of stored response bodies.
	 */
	public static class Compression {

		/**
		 * Response bodies larger than this are stored deflated when that makes them
		 * smaller; replays are byte-identical either way.
		 */
		private DataSize threshold = DataSize.ofBytes(512);

		public DataSize getThreshold() {
			return this.threshold;
		}

		public void setThreshold(DataSize threshold) {
			this.threshold = threshold;
		}

	}

	/**
	 * Encryption of stored responses at rest: AES-256-GCM, a fresh nonce per record, the
	 * key id in the record and the storage key as associated data.
	 */
	public static class Encryption {

		/**
		 * Keys stored responses are encrypted with, by id (1 to 64 letters, digits, '.',
		 * '_' or '-'): each the base64 of 32 random bytes ("openssl rand -base64 32").
		 * Keep a key as long as records encrypted with it live (ttl): a record whose key
		 * is gone is unreadable and its key never runs again.
		 */
		private Map<String, String> keys = new LinkedHashMap<>();

		/**
		 * Id of the key new records are encrypted with, one of the keys. When unset,
		 * responses are stored in clear.
		 */
		private @Nullable String currentKey;

		public Map<String, String> getKeys() {
			return this.keys;
		}

		public void setKeys(Map<String, String> keys) {
			this.keys = keys;
		}

		public @Nullable String getCurrentKey() {
			return this.currentKey;
		}

		public void setCurrentKey(@Nullable String currentKey) {
			this.currentKey = currentKey;
		}

	}

}
