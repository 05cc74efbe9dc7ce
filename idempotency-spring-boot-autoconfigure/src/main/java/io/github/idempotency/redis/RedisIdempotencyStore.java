package io.github.idempotency.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.record.RecordCodec;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} in Redis (standalone, Sentinel or Cluster) through Spring Data
 * Redis and Lettuce.
 *
 * <p>A record is one string under one key, in the compact binary format of
 * {@link RecordCodec}, so every operation touches exactly one key and is one Lua script
 * ({@link RedisRecordScripts}): one round trip, sent by SHA after the first call. A claim is
 * {@code SET NX PX} of an in-flight record (fingerprint and owner token) that returns the
 * record already there instead; completing and releasing compare the owner token at the end
 * of that record. The key expires after the lock timeout while in flight and after the TTL
 * once finished. A value this version cannot read, or a key of another type, is an
 * {@link IdempotencyRecordException}.
 *
 * <p>Every call waits at most the configured timeout for Redis; past it the call fails with
 * {@link IdempotencyStoreException}. A claim that timed out is followed by a release sent on
 * the same connection without waiting, so a claim that Redis executes late is undone at once.
 *
 * <p>With {@code minReplicas > 0}, a claim and a stored response are followed by {@code WAIT}
 * on the node that owns the key; a claim acknowledged by fewer replicas is released and fails
 * with {@link IdempotencyStoreException}, a stored response only logs a warning (it was sent).
 */
public final class RedisIdempotencyStore implements IdempotencyStore {

	private static final Log logger = LogFactory.getLog(RedisIdempotencyStore.class);

	private final LettuceConnectionFactory connectionFactory;

	private final long timeoutNanos;

	private final int minReplicas;

	private final Duration replicaTimeout;

	private final RecordCodec codec;

	/**
	 * Creates a store that does not wait for replicas.
	 * @param connectionFactory the Lettuce connection factory
	 * @param timeout the longest a store call may take
	 */
	public RedisIdempotencyStore(LettuceConnectionFactory connectionFactory, Duration timeout) {
		this(connectionFactory, timeout, 0, Duration.ZERO);
	}

	/**
	 * Creates a store that, after a claim and after storing a response, waits until at least
	 * {@code minReplicas} replicas acknowledged the write (Redis {@code WAIT}).
	 * @param connectionFactory the Lettuce connection factory
	 * @param timeout the longest a store call may take, not counting the wait for replicas
	 * @param minReplicas replicas that must acknowledge each write; 0 to not wait
	 * @param replicaTimeout the longest to wait for them
	 */
	public RedisIdempotencyStore(LettuceConnectionFactory connectionFactory, Duration timeout, int minReplicas,
			Duration replicaTimeout) {
		this(connectionFactory, timeout, minReplicas, replicaTimeout,
				new RecordCodec(RecordCodec.DEFAULT_COMPRESSION_THRESHOLD));
	}

	/**
	 * Creates a store that writes records with the given codec and, with {@code minReplicas > 0},
	 * waits until that many replicas acknowledged each claim and each stored response.
	 * @param connectionFactory the Lettuce connection factory
	 * @param timeout the longest a store call may take, not counting the wait for replicas
	 * @param minReplicas replicas that must acknowledge each write; 0 to not wait
	 * @param replicaTimeout the longest to wait for them
	 * @param codec encodes and reads the records
	 */
	public RedisIdempotencyStore(LettuceConnectionFactory connectionFactory, Duration timeout, int minReplicas,
			Duration replicaTimeout, RecordCodec codec) {
		Assert.notNull(codec, "codec must not be null");
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		Assert.isTrue(minReplicas >= 0, "minReplicas must not be negative");
		Assert.isTrue(minReplicas == 0 || (replicaTimeout != null && replicaTimeout.toMillis() > 0),
				"replicaTimeout must be at least 1 ms when waiting for replicas");
		this.connectionFactory = connectionFactory;
		this.timeoutNanos = timeout.toNanos();
		this.minReplicas = minReplicas;
		this.replicaTimeout = replicaTimeout;
		this.codec = codec;
	}

	@Override
	public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
		byte[] keyBytes = bytes(key);
		List<?> reply;
		try {
			reply = execute(RedisRecordScripts.CLAIM, ScriptOutputType.MULTI, keyBytes,
					this.codec.inFlight(fingerprint, owner), millis(lockTimeout));
		}
		catch (ClaimTimeout ex) {
			releaseLater(keyBytes, this.codec.ownerToken(owner));
			throw ex;
		}
		if (!reply.isEmpty()) {
			return toClaimResult(key, reply);
		}
		long acknowledged = awaitReplicas(keyBytes);
		if (acknowledged < this.minReplicas) {
			release(key, owner);
			throw new IdempotencyStoreException("The claim was acknowledged by " + acknowledged + " of "
					+ this.minReplicas + " replicas within " + this.replicaTimeout.toMillis() + " ms", null);
		}
		return ClaimResult.CLAIMED;
	}

	@Override
	public boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
		RecordCodec.Finished finished = this.codec.finished(response);
		Long written = execute(RedisRecordScripts.COMPLETE, ScriptOutputType.INTEGER, bytes(key),
				this.codec.ownerToken(owner), finished.head(), finished.tail(), millis(ttl));
		if (written != 1L) {
			return false;
		}
		long acknowledged = awaitReplicas(bytes(key));
		if (acknowledged < this.minReplicas) {
			logger.warn("The response stored under " + key + " was acknowledged by " + acknowledged + " of "
					+ this.minReplicas + " replicas; a failover before they catch up loses it");
		}
		return true;
	}

	@Override
	public boolean release(String key, String owner) {
		Long deleted = execute(RedisRecordScripts.RELEASE, ScriptOutputType.INTEGER, bytes(key),
				this.codec.ownerToken(owner));
		return deleted == 1L;
	}

	private ClaimResult toClaimResult(String key, List<?> reply) {
		if (reply.size() != 1 || !(reply.get(0) instanceof byte[] record)) {
			throw new IdempotencyRecordException("Record " + key + " could not be read", null);
		}
		try {
			return this.codec.decode(record);
		}
		catch (IdempotencyRecordException ex) {
			throw new IdempotencyRecordException("Record " + key + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Waits for replicas to acknowledge this connection's writes so far, on the node that owns
	 * the key. Returns at once with {@code minReplicas} when not configured to wait.
	 */
	@SuppressWarnings("unchecked")
	private long awaitReplicas(byte[] key) {
		if (this.minReplicas == 0) {
			return 0;
		}
		long deadline = System.nanoTime() + this.timeoutNanos + this.replicaTimeout.toNanos();
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Object commands = connection.getNativeConnection();
			RedisClusterAsyncCommands<byte[], byte[]> node;
			if (commands instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
				RedisClusterNode owner = cluster.getStatefulConnection()
					.getPartitions()
					.getPartitionBySlot(SlotHash.getSlot(key));
				node = ((RedisAdvancedClusterAsyncCommands<byte[], byte[]>) cluster).getConnection(owner.getNodeId());
			}
			else {
				node = (RedisClusterAsyncCommands<byte[], byte[]>) commands;
			}
			Long acknowledged = (Long) await(node.waitForReplication(this.minReplicas, this.replicaTimeout.toMillis()),
					deadline, false);
			return (acknowledged != null) ? acknowledged : 0;
		}
		catch (IdempotencyStoreException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new IdempotencyStoreException("Could not wait for replicas: " + ex.getMessage(), ex);
		}
	}

	@SuppressWarnings("unchecked")
	private <T> T execute(RedisScript<?> script, ScriptOutputType type, byte[] key, byte[]... args) {
		long deadline = System.nanoTime() + this.timeoutNanos;
		boolean claim = script == RedisRecordScripts.CLAIM;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			byte[][] keys = { key };
			try {
				return (T) await(commands.evalsha(script.getSha1(), type, keys, args), deadline, claim);
			}
			catch (RedisNoScriptException ex) {
				return (T) await(commands.eval(bytes(script.getScriptAsString()), type, keys, args), deadline,
						claim);
			}
		}
		catch (IdempotencyStoreException | IdempotencyRecordException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw new IdempotencyStoreException("Redis is unavailable: " + ex.getMessage(), ex);
		}
	}

	private Object await(RedisFuture<?> future, long deadline, boolean claim) {
		try {
			return future.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			future.cancel(false);
			String message = "Redis did not answer within " + Duration.ofNanos(this.timeoutNanos).toMillis() + " ms";
			throw claim ? new ClaimTimeout(message, ex) : new IdempotencyStoreException(message, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IdempotencyStoreException("Interrupted while waiting for Redis", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RedisNoScriptException noScript) {
				throw noScript;
			}
			if (cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).contains("WRONGTYPE")) {
				throw new IdempotencyRecordException("A key used for idempotency records holds another type", cause);
			}
			throw new IdempotencyStoreException("Redis failed: " + cause.getMessage(), cause);
		}
	}

	@SuppressWarnings("unchecked")
	private void releaseLater(byte[] key, byte[] owner) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			commands.eval(bytes(RedisRecordScripts.RELEASE.getScriptAsString()), ScriptOutputType.INTEGER, new byte[][] { key }, owner);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not queue the release of a timed-out claim", ex);
		}
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] millis(Duration duration) {
		return bytes(Long.toString(Math.max(1, duration.toMillis())));
	}

	/** A claim that Redis did not confirm in time; it may still be executed later. */
	private static final class ClaimTimeout extends IdempotencyStoreException {

		ClaimTimeout(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
