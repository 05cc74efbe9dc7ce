package io.github.idempotency.redis;

import java.io.IOException;
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
 * <p>A record is one hash under one key, so every operation touches exactly one key and is
 * one Lua script: one round trip, sent by SHA after the first call. Fields: {@code owner}
 * (the claim's token), {@code fingerprint}, and once finished {@code status},
 * {@code headers} and {@code body}. The hash expires after the lock timeout while in flight
 * and after the TTL once finished.
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

	/**
	 * Takes the key when it is free; otherwise returns fingerprint, status, headers and body
	 * (status and later fields are nil while the first request runs). An empty array means
	 * claimed.
	 */
	static final RedisScript<List> CLAIM = RedisScript.of("""
			if redis.call('HSETNX', KEYS[1], 'owner', ARGV[1]) == 1 then
			  redis.call('HSET', KEYS[1], 'fingerprint', ARGV[2])
			  redis.call('PEXPIRE', KEYS[1], ARGV[3])
			  return {}
			end
			return redis.call('HMGET', KEYS[1], 'fingerprint', 'status', 'headers', 'body')
			""", List.class);

	/** Stores the response and sets the TTL if the caller still owns an unfinished claim. */
	static final RedisScript<Long> COMPLETE = RedisScript.of("""
			if redis.call('HGET', KEYS[1], 'owner') == ARGV[1]
			    and redis.call('HEXISTS', KEYS[1], 'status') == 0 then
			  redis.call('HSET', KEYS[1], 'status', ARGV[2], 'headers', ARGV[3], 'body', ARGV[4])
			  redis.call('PEXPIRE', KEYS[1], ARGV[5])
			  return 1
			end
			return 0
			""", Long.class);

	/** Deletes the record if the caller still owns an unfinished claim. */
	static final RedisScript<Long> RELEASE = RedisScript.of("""
			if redis.call('HGET', KEYS[1], 'owner') == ARGV[1]
			    and redis.call('HEXISTS', KEYS[1], 'status') == 0 then
			  return redis.call('DEL', KEYS[1])
			end
			return 0
			""", Long.class);

	/** Every script the store runs, for loading them before the first request. */
	static final List<RedisScript<?>> SCRIPTS = List.of(CLAIM, COMPLETE, RELEASE);

	private static final Log logger = LogFactory.getLog(RedisIdempotencyStore.class);

	private final LettuceConnectionFactory connectionFactory;

	private final long timeoutNanos;

	private final int minReplicas;

	private final Duration replicaTimeout;

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
		Assert.notNull(connectionFactory, "connectionFactory must not be null");
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		Assert.isTrue(minReplicas >= 0, "minReplicas must not be negative");
		Assert.isTrue(minReplicas == 0 || (replicaTimeout != null && replicaTimeout.toMillis() > 0),
				"replicaTimeout must be at least 1 ms when waiting for replicas");
		this.connectionFactory = connectionFactory;
		this.timeoutNanos = timeout.toNanos();
		this.minReplicas = minReplicas;
		this.replicaTimeout = replicaTimeout;
	}

	@Override
	public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
		byte[] keyBytes = bytes(key);
		byte[] ownerBytes = bytes(owner);
		List<?> reply;
		try {
			reply = execute(CLAIM, ScriptOutputType.MULTI, keyBytes, ownerBytes, bytes(fingerprint),
					millis(lockTimeout));
		}
		catch (ClaimTimeout ex) {
			releaseLater(keyBytes, ownerBytes);
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
		Long written = execute(COMPLETE, ScriptOutputType.INTEGER, bytes(key), bytes(owner),
				bytes(Integer.toString(response.status())), HeadersCodec.encode(response.headers()), response.body(),
				millis(ttl));
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
		Long deleted = execute(RELEASE, ScriptOutputType.INTEGER, bytes(key), bytes(owner));
		return deleted == 1L;
	}

	private ClaimResult toClaimResult(String key, List<?> reply) {
		if (reply.size() != 4 || !(reply.get(0) instanceof byte[] fingerprint)) {
			throw new IdempotencyRecordException("Record " + key + " has no fingerprint", null);
		}
		String fingerprintText = new String(fingerprint, StandardCharsets.UTF_8);
		if (reply.get(1) == null) {
			return new ClaimResult.InFlight(fingerprintText);
		}
		try {
			int status = Integer.parseInt(new String((byte[]) reply.get(1), StandardCharsets.US_ASCII));
			StoredResponse response = new StoredResponse(status, HeadersCodec.decode((byte[]) reply.get(2)),
					(byte[]) reply.get(3));
			return new ClaimResult.Completed(fingerprintText, response);
		}
		catch (IOException | RuntimeException ex) {
			throw new IdempotencyRecordException("Record " + key + " holds an unreadable response", ex);
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
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) connection
				.getNativeConnection();
			byte[][] keys = { key };
			try {
				return (T) await(commands.evalsha(script.getSha1(), type, keys, args), deadline, script == CLAIM);
			}
			catch (RedisNoScriptException ex) {
				return (T) await(commands.eval(bytes(script.getScriptAsString()), type, keys, args), deadline,
						script == CLAIM);
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
			if (cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).startsWith("WRONGTYPE")) {
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
			commands.eval(bytes(RELEASE.getScriptAsString()), ScriptOutputType.INTEGER, new byte[][] { key }, owner);
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
