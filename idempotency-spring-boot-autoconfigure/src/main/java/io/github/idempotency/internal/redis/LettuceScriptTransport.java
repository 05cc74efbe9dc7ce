package io.github.idempotency.internal.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.github.idempotency.IdempotencyStoreException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.jspecify.annotations.Nullable;

/**
 * Calls on Lettuce's shared native connection, asynchronously: the request thread waits
 * for the reply with the store timeout, without a thread of its own. The shared
 * connection is looked up once and again only after it was closed (a reset of the
 * connection factory); a factory that does not share its connection lends one per call.
 * An undo after a timeout is queued right behind the call on the same connection, so
 * Redis executes it after the call however late that is. {@code WAIT} goes to the node
 * that owns the key (in a Cluster: that node's connection, which carried the write).
 *
 * <p>
 * {@link #executeAsync} sends the same commands and completes with their replies on
 * Lettuce's own threads, bounded by the store timeout, without any thread waiting; it
 * never blocks when the factory shares its connection (the default).
 */
final class LettuceScriptTransport implements ScriptTransport {

	private static final Log logger = LogFactory.getLog(LettuceScriptTransport.class);

	private final LettuceConnectionFactory connectionFactory;

	private final Settings settings;

	private final CallDeadlines deadlines = new CallDeadlines();

	private volatile @Nullable Shared shared;

	LettuceScriptTransport(LettuceConnectionFactory connectionFactory, Settings settings) {
		this.connectionFactory = connectionFactory;
		this.settings = settings;
	}

	@Override
	public Reply execute(RedisCall call, @Nullable ScriptCall undo, Predicate<Object> wrote) {
		long deadline = System.nanoTime() + this.settings.timeoutNanos();
		try {
			if (this.connectionFactory.getShareNativeConnection()) {
				return execute(sharedCommands(), call, undo, wrote, deadline);
			}
			try (RedisConnection connection = this.connectionFactory.getConnection()) {
				return execute(commands(connection), call, undo, wrote, deadline);
			}
		}
		catch (RuntimeException ex) {
			throw ScriptTransport.translate(ex);
		}
	}

	private Reply execute(RedisClusterAsyncCommands<byte[], byte[]> commands, RedisCall call, @Nullable ScriptCall undo,
			Predicate<Object> wrote, long deadline) {
		Object value;
		try {
			value = await(send(commands, call), deadline);
		}
		catch (CallTimeout ex) {
			if (undo != null) {
				queue(commands, undo);
			}
			throw new IdempotencyStoreException(this.settings.timedOut(), ex.getCause());
		}
		long acknowledged = (this.settings.minReplicas() > 0 && wrote.test(value))
				? awaitReplicas(commands, call.key(), deadline) : 0;
		return new Reply(value, acknowledged);
	}

	@Override
	public CompletionStage<Reply> executeAsync(RedisCall call, @Nullable ScriptCall undo, Predicate<Object> wrote) {
		if (isBlocking()) {
			try {
				return CompletableFuture.completedFuture(execute(call, undo, wrote));
			}
			catch (RuntimeException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		RedisClusterAsyncCommands<byte[], byte[]> commands;
		CompletableFuture<Object> sent;
		try {
			commands = sharedCommands();
			sent = send(commands, call);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ScriptTransport.translate(ex));
		}
		return this.deadlines.bounded(sent, this.settings.timeoutNanos()).handle((value, failure) -> {
			if (failure == null) {
				return value;
			}
			if (ScriptTransport.isTimeout(failure)) {
				if (undo != null) {
					queue(commands, undo);
				}
				throw new IdempotencyStoreException(this.settings.timedOut(), null);
			}
			throw ScriptTransport.translate(failure);
		})
			.thenCompose((value) -> (this.settings.minReplicas() > 0 && wrote.test(value))
					? replicasAsync(commands, call.key()).thenApply((acknowledged) -> new Reply(value, acknowledged))
					: CompletableFuture.completedFuture(new Reply(value, 0)));
	}

	/**
	 * Asynchronous calls never block on the factory's shared connection; on lent ones
	 * they do.
	 */
	@Override
	public boolean isBlocking() {
		return !this.connectionFactory.getShareNativeConnection();
	}

	/** The shared connection's commands, looked up again only once it was closed. */
	private RedisClusterAsyncCommands<byte[], byte[]> sharedCommands() {
		Shared current = this.shared;
		if (current != null && current.connection().isOpen()) {
			return current.commands();
		}
		RedisClusterAsyncCommands<byte[], byte[]> commands;
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			commands = commands(connection);
		}
		StatefulConnection<?, ?> connection = statefulConnection(commands);
		this.shared = (connection != null) ? new Shared(commands, connection) : null;
		return commands;
	}

	private static @Nullable StatefulConnection<?, ?> statefulConnection(
			RedisClusterAsyncCommands<byte[], byte[]> commands) {
		if (commands instanceof RedisAsyncCommands<?, ?> standalone) {
			return standalone.getStatefulConnection();
		}
		if (commands instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
			return cluster.getStatefulConnection();
		}
		return null;
	}

	/**
	 * Sends a call: a script by its SHA-1, again as a whole should Redis not know it, or
	 * the plain {@code SET … NX GET PX}.
	 */
	@SuppressWarnings("unchecked")
	private static CompletableFuture<Object> send(RedisClusterAsyncCommands<byte[], byte[]> commands, RedisCall call) {
		if (call instanceof SetIfAbsentCall set) {
			RedisFuture<?> reply = commands.setGet(set.key(), set.value(), SetArgs.Builder.nx().px(set.millis()));
			return (CompletableFuture<Object>) reply.toCompletableFuture();
		}
		ScriptCall script = (ScriptCall) call;
		ScriptOutputType type = outputType(script.returnType());
		byte[][] keys = { script.key() };
		RedisFuture<Object> bySha = commands.evalsha(script.script().sha1(), type, keys, script.args());
		return bySha.toCompletableFuture()
			.exceptionallyCompose((failure) -> (ScriptTransport.unwrap(failure) instanceof RedisNoScriptException)
					? commands.<Object>eval(script.text(), type, keys, script.args()).toCompletableFuture()
					: CompletableFuture.failedFuture(failure));
	}

	private void queue(RedisClusterAsyncCommands<byte[], byte[]> commands, ScriptCall undo) {
		try {
			commands.eval(undo.text(), outputType(undo.returnType()), new byte[][] { undo.key() }, undo.args());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not queue the undo of a timed-out call", ex);
		}
	}

	/**
	 * Waits for replicas to acknowledge this connection's writes so far, on the node that
	 * owns the key.
	 */
	private long awaitReplicas(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key, long callDeadline) {
		long deadline = callDeadline + this.settings.replicaTimeout().toNanos();
		try {
			Long acknowledged = (Long) await(waitForReplicas(commands, key), deadline);
			return (acknowledged != null) ? acknowledged : 0;
		}
		catch (CallTimeout ex) {
			throw new IdempotencyStoreException("Could not wait for replicas: " + this.settings.timedOut(),
					ex.getCause());
		}
	}

	private CompletableFuture<Long> replicasAsync(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key) {
		return this.deadlines.bounded(waitForReplicas(commands, key), this.settings.timeoutWithReplicasNanos())
			.handle((acknowledged, failure) -> {
				if (failure == null) {
					return (acknowledged != null) ? acknowledged : 0L;
				}
				if (ScriptTransport.isTimeout(failure)) {
					throw new IdempotencyStoreException("Could not wait for replicas: " + this.settings.timedOut(),
							null);
				}
				throw ScriptTransport.translate(failure);
			});
	}

	@SuppressWarnings("unchecked")
	private CompletableFuture<Long> waitForReplicas(RedisClusterAsyncCommands<byte[], byte[]> commands, byte[] key) {
		RedisClusterAsyncCommands<byte[], byte[]> node;
		if (commands instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
			RedisClusterNode owner = cluster.getStatefulConnection()
				.getPartitions()
				.getPartitionBySlot(SlotHash.getSlot(key));
			node = ((RedisAdvancedClusterAsyncCommands<byte[], byte[]>) cluster).getConnection(owner.getNodeId());
		}
		else {
			node = commands;
		}
		return node.waitForReplication(this.settings.minReplicas(), this.settings.replicaTimeout().toMillis())
			.toCompletableFuture();
	}

	private static Object await(CompletableFuture<?> future, long deadline) {
		try {
			return future.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new CallTimeout(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IdempotencyStoreException("Interrupted while waiting for Redis", ex);
		}
		catch (ExecutionException ex) {
			throw ScriptTransport.translate(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static RedisClusterAsyncCommands<byte[], byte[]> commands(RedisConnection connection) {
		return (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
	}

	private static ScriptOutputType outputType(ReturnType type) {
		return (type == ReturnType.MULTI) ? ScriptOutputType.MULTI : ScriptOutputType.INTEGER;
	}

	@Override
	public void close() {
		this.deadlines.close();
	}

	/** Redis did not answer in time; the call may still be executed later. */
	private static final class CallTimeout extends RuntimeException {

		CallTimeout(TimeoutException cause) {
			super(cause);
		}

	}

	/**
	 * The shared connection's commands and the connection, to tell when it was closed.
	 */
	private record Shared(RedisClusterAsyncCommands<byte[], byte[]> commands, StatefulConnection<?, ?> connection) {
	}

}
