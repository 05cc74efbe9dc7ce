package io.github.idempotency.internal.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.RecordInspection;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.record.RecordCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} in Redis (standalone, Sentinel or Cluster) through Spring
 * Data Redis, with Lettuce or Jedis.
 *
 * <p>
 * A record is one string under one key, in the compact binary format of
 * {@link RecordCodec}, so every operation touches exactly one key and is one command: one
 * round trip. A claim sets an in-flight record (fingerprint and owner token) unless the
 * key exists, and answers the record already there instead: on Redis 7.0 and newer (once
 * {@link RedisStoreConnector} has read the version of every node) with the plain
 * {@code SET key record NX GET PX lock-timeout}, otherwise with a Lua script that also
 * answers the record's remaining time. Completing and releasing are Lua scripts
 * ({@link RedisRecordScripts}, sent by SHA) that compare the owner token at the end of
 * that record. The key expires after the lock timeout while in flight and after the TTL
 * once finished. A value this version cannot read, or a key of another type, is an
 * {@link IdempotencyRecordException}.
 *
 * <p>
 * Every call waits at most the configured timeout for Redis; past it the call fails with
 * {@link IdempotencyStoreException}. A claim that timed out but that Redis executes later
 * is released: with Lettuce by a release queued right behind it on the same connection,
 * with Jedis (whose calls run on a small pool of threads this store owns, shut down by
 * {@link #close()}) once the late claim completes.
 *
 * <p>
 * With {@code minReplicas > 0}, a claim and a stored response are followed by
 * {@code WAIT} on the node that owns the key; a claim acknowledged by fewer replicas is
 * released and fails with {@link IdempotencyStoreException}, a stored response only logs
 * a warning (it was sent). Jedis on a Redis Cluster cannot send {@code WAIT} on the
 * connection of the write: creating such a store fails.
 */
public final class RedisIdempotencyStore implements IdempotencyStore, AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisIdempotencyStore.class);

	private final ScriptTransport transport;

	private final int minReplicas;

	private final Duration replicaTimeout;

	private final RecordCodec codec;

	private volatile boolean claimWithSetNxGet;

	/**
	 * Creates a store that does not wait for replicas.
	 * @param connectionFactory the Lettuce or Jedis connection factory
	 * @param timeout the longest a store call may take
	 */
	public RedisIdempotencyStore(RedisConnectionFactory connectionFactory, Duration timeout) {
		this(connectionFactory, timeout, 0, Duration.ZERO);
	}

	/**
	 * Creates a store that, after a claim and after storing a response, waits until at
	 * least {@code minReplicas} replicas acknowledged the write (Redis {@code WAIT}).
	 * @param connectionFactory the Lettuce or Jedis connection factory
	 * @param timeout the longest a store call may take, not counting the wait for
	 * replicas
	 * @param minReplicas replicas that must acknowledge each write; 0 to not wait
	 * @param replicaTimeout the longest to wait for them
	 */
	public RedisIdempotencyStore(RedisConnectionFactory connectionFactory, Duration timeout, int minReplicas,
			Duration replicaTimeout) {
		this(connectionFactory, timeout, minReplicas, replicaTimeout,
				new RecordCodec(RecordCodec.DEFAULT_COMPRESSION_THRESHOLD));
	}

	/**
	 * Creates a store that writes records with the given codec and, with
	 * {@code minReplicas > 0}, waits until that many replicas acknowledged each claim and
	 * each stored response.
	 * @param connectionFactory the Lettuce or Jedis connection factory
	 * @param timeout the longest a store call may take, not counting the wait for
	 * replicas
	 * @param minReplicas replicas that must acknowledge each write; 0 to not wait
	 * @param replicaTimeout the longest to wait for them
	 * @param codec encodes and reads the records
	 * @throws IllegalStateException for a connection factory of another client, or Jedis
	 * on a Redis Cluster with {@code minReplicas > 0}
	 */
	public RedisIdempotencyStore(RedisConnectionFactory connectionFactory, Duration timeout, int minReplicas,
			Duration replicaTimeout, RecordCodec codec) {
		Assert.notNull(codec, "codec must not be null");
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		Assert.isTrue(minReplicas >= 0, "minReplicas must not be negative");
		Assert.isTrue(minReplicas == 0 || (replicaTimeout != null && replicaTimeout.toMillis() > 0),
				"replicaTimeout must be at least 1 ms when waiting for replicas");
		this.transport = RedisDriver.of(connectionFactory)
			.transport(new ScriptTransport.Settings(timeout, minReplicas, replicaTimeout));
		this.minReplicas = minReplicas;
		this.replicaTimeout = replicaTimeout;
		this.codec = codec;
	}

	@Override
	public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
		byte[] keyBytes = bytes(key);
		byte[] record = this.codec.inFlight(fingerprint, owner);
		ScriptTransport.Reply reply = this.claimWithSetNxGet ? claimWithSet(keyBytes, record, owner, lockTimeout)
				: claimWithScript(keyBytes, record, owner, lockTimeout);
		ClaimResult result = claimResult(key, reply);
		if (result == null) {
			release(key, owner);
			throw notReplicated(reply);
		}
		return result;
	}

	@Override
	public CompletionStage<ClaimResult> claimAsync(String key, String owner, String fingerprint, Duration lockTimeout) {
		byte[] keyBytes = bytes(key);
		byte[] record = this.codec.inFlight(fingerprint, owner);
		CompletionStage<ScriptTransport.Reply> reply = this.claimWithSetNxGet
				? claimWithSetAsync(keyBytes, record, owner, lockTimeout)
				: claimWithScriptAsync(keyBytes, record, owner, lockTimeout);
		return reply.thenCompose((answer) -> {
			ClaimResult result = claimResult(key, answer);
			if (result != null) {
				return CompletableFuture.completedFuture(result);
			}
			return releaseAsync(key, owner).handle((released, failure) -> {
				throw notReplicated(answer);
			});
		});
	}

	@Override
	public boolean isBlocking() {
		return this.transport.isBlocking();
	}

	/**
	 * What a claim's reply says.
	 * @return the record found, {@link ClaimResult#CLAIMED}, or {@code null} when the
	 * claim was acknowledged by too few replicas
	 */
	private @Nullable ClaimResult claimResult(String key, ScriptTransport.Reply reply) {
		if (!claimed(reply.value())) {
			return toClaimResult(key, reply.value());
		}
		return (reply.acknowledged() < this.minReplicas) ? null : ClaimResult.CLAIMED;
	}

	private IdempotencyStoreException notReplicated(ScriptTransport.Reply reply) {
		return new IdempotencyStoreException("The claim was acknowledged by " + reply.acknowledged() + " of "
				+ this.minReplicas + " replicas within " + this.replicaTimeout.toMillis() + " ms", null);
	}

	private ScriptTransport.Reply claimWithSet(byte[] key, byte[] record, String owner, Duration lockTimeout) {
		try {
			return this.transport.execute(setIfAbsent(key, record, lockTimeout), releaseCall(key, owner),
					RedisIdempotencyStore::claimed);
		}
		catch (IdempotencyStoreException ex) {
			if (!setNxGetRefused(ex)) {
				throw ex;
			}
			return claimWithScript(key, record, owner, lockTimeout);
		}
	}

	private CompletionStage<ScriptTransport.Reply> claimWithSetAsync(byte[] key, byte[] record, String owner,
			Duration lockTimeout) {
		return this.transport
			.executeAsync(setIfAbsent(key, record, lockTimeout), releaseCall(key, owner),
					RedisIdempotencyStore::claimed)
			.exceptionallyCompose((failure) -> setNxGetRefused(ScriptTransport.unwrap(failure))
					? claimWithScriptAsync(key, record, owner, lockTimeout) : CompletableFuture.failedFuture(failure));
	}

	private static SetIfAbsentCall setIfAbsent(byte[] key, byte[] record, Duration lockTimeout) {
		return new SetIfAbsentCall(key, record, positiveMillis(lockTimeout));
	}

	/**
	 * Whether Redis refused {@code SET … NX GET}; claims go through the script from now
	 * on then.
	 */
	private boolean setNxGetRefused(Throwable failure) {
		if (!(failure instanceof IdempotencyStoreException)
				|| !ScriptTransport.hasMessage(failure, SetIfAbsentCall.UNSUPPORTED)) {
			return false;
		}
		this.claimWithSetNxGet = false;
		logger.warn(
				"Redis refused SET with NX and GET (a node older than 7.0?); claiming keys with a script from now on");
		return true;
	}

	private ScriptTransport.Reply claimWithScript(byte[] key, byte[] record, String owner, Duration lockTimeout) {
		return this.transport.execute(claimScript(key, record, lockTimeout), releaseCall(key, owner),
				RedisIdempotencyStore::claimed);
	}

	private CompletionStage<ScriptTransport.Reply> claimWithScriptAsync(byte[] key, byte[] record, String owner,
			Duration lockTimeout) {
		return this.transport.executeAsync(claimScript(key, record, lockTimeout), releaseCall(key, owner),
				RedisIdempotencyStore::claimed);
	}

	private static ScriptCall claimScript(byte[] key, byte[] record, Duration lockTimeout) {
		return new ScriptCall(RedisRecordScripts.CLAIM, ReturnType.MULTI, key, record, millis(lockTimeout));
	}

	/**
	 * Chooses how keys are claimed: with the plain
	 * {@code SET key record NX GET PX lock-timeout} (Redis 7.0 and newer; an in-flight
	 * claim found then does not tell how long it still lives) or with a script that also
	 * answers the remaining time. {@link RedisStoreConnector} chooses once it has read
	 * the version of every node; the script until then. Should Redis refuse the command
	 * later (a failover to an older node), the store goes back to the script.
	 * @param setNxGet whether every node takes {@code SET … NX GET}
	 */
	void claimWithSetNxGet(boolean setNxGet) {
		this.claimWithSetNxGet = setNxGet;
	}

	@Override
	public boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
		return completed(key,
				this.transport.execute(completeCall(key, owner, response, ttl), null, RedisIdempotencyStore::one));
	}

	@Override
	public CompletionStage<Boolean> completeAsync(String key, String owner, StoredResponse response, Duration ttl) {
		return this.transport.executeAsync(completeCall(key, owner, response, ttl), null, RedisIdempotencyStore::one)
			.thenApply((reply) -> completed(key, reply));
	}

	private ScriptCall completeCall(String key, String owner, StoredResponse response, Duration ttl) {
		RecordCodec.Finished finished = this.codec.finished(response, key);
		return new ScriptCall(RedisRecordScripts.COMPLETE, ReturnType.INTEGER, bytes(key), this.codec.ownerToken(owner),
				finished.head(), finished.tail(), millis(ttl));
	}

	private boolean completed(String key, ScriptTransport.Reply reply) {
		if (!one(reply.value())) {
			return false;
		}
		if (reply.acknowledged() < this.minReplicas) {
			logger.warn("The response stored under " + key + " was acknowledged by " + reply.acknowledged() + " of "
					+ this.minReplicas + " replicas; a failover before they catch up loses it");
		}
		return true;
	}

	@Override
	public boolean release(String key, String owner) {
		return one(this.transport.execute(releaseCall(bytes(key), owner), null, (reply) -> false).value());
	}

	@Override
	public CompletionStage<Boolean> releaseAsync(String key, String owner) {
		return this.transport.executeAsync(releaseCall(bytes(key), owner), null, (reply) -> false)
			.thenApply((reply) -> one(reply.value()));
	}

	@Override
	public boolean renew(String key, String owner, Duration lockTimeout) {
		return one(this.transport.execute(renewCall(key, owner, lockTimeout), null, (reply) -> false).value());
	}

	@Override
	public CompletionStage<Boolean> renewAsync(String key, String owner, Duration lockTimeout) {
		return this.transport.executeAsync(renewCall(key, owner, lockTimeout), null, (reply) -> false)
			.thenApply((reply) -> one(reply.value()));
	}

	private ScriptCall renewCall(String key, String owner, Duration lockTimeout) {
		return new ScriptCall(RedisRecordScripts.RENEW, ReturnType.INTEGER, bytes(key), this.codec.ownerToken(owner),
				millis(lockTimeout));
	}

	@Override
	public @Nullable RecordInspection inspect(String key) {
		Object reply = this.transport
			.execute(new ScriptCall(RedisRecordScripts.INSPECT, ReturnType.MULTI, bytes(key)), null, (r) -> false)
			.value();
		if (reply instanceof List<?> list && !list.isEmpty() && list.get(0) == null) {
			return null;
		}
		ClaimResult record = toClaimResult(key, reply);
		Duration expiresIn = (record instanceof ClaimResult.InFlight inFlight) ? inFlight.expiresIn()
				: remaining(reply);
		return new RecordInspection(record, expiresIn);
	}

	private static @Nullable Duration remaining(Object reply) {
		return (reply instanceof List<?> list && list.size() == 2 && list.get(1) instanceof Long millis && millis >= 0)
				? Duration.ofMillis(millis) : null;
	}

	@Override
	public boolean evict(String key) {
		return one(this.transport
			.execute(new ScriptCall(RedisRecordScripts.EVICT, ReturnType.INTEGER, bytes(key)), null, (reply) -> false)
			.value());
	}

	/**
	 * Shuts down the threads of the Jedis transport; the connection factory stays open.
	 */
	@Override
	public void close() {
		this.transport.close();
	}

	private ScriptCall releaseCall(byte[] key, String owner) {
		return new ScriptCall(RedisRecordScripts.RELEASE, ReturnType.INTEGER, key, this.codec.ownerToken(owner));
	}

	private ClaimResult toClaimResult(String key, Object reply) {
		byte[] record;
		Long millis = null;
		if (reply instanceof byte[] value) {
			record = value;
		}
		else if (reply instanceof List<?> list && list.size() == 2 && list.get(0) instanceof byte[] value) {
			record = value;
			millis = (list.get(1) instanceof Long remaining && remaining >= 0) ? remaining : null;
		}
		else {
			throw new IdempotencyRecordException("Record " + key + " could not be read", null);
		}
		try {
			ClaimResult existing = this.codec.decode(record, key);
			if (existing instanceof ClaimResult.InFlight inFlight && millis != null) {
				return new ClaimResult.InFlight(inFlight.fingerprint(), Duration.ofMillis(millis));
			}
			return existing;
		}
		catch (IdempotencyRecordException ex) {
			throw new IdempotencyRecordException("Record " + key + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * {@code SET … NX GET} answers nothing, the claim script an empty array, when they
	 * claimed the key.
	 */
	private static boolean claimed(Object reply) {
		return reply == null || (reply instanceof List<?> list && list.isEmpty());
	}

	/** The complete and release scripts answer 1 when they changed the record. */
	private static boolean one(Object reply) {
		return reply instanceof Long count && count == 1L;
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] millis(Duration duration) {
		return bytes(Long.toString(positiveMillis(duration)));
	}

	/** Redis takes expiry times of at least one millisecond. */
	private static long positiveMillis(Duration duration) {
		return Math.max(1, duration.toMillis());
	}

}
