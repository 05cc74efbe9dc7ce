package io.github.idempotency.internal.redis;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import io.github.idempotency.IdempotencyStoreException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisScriptingCommands;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.types.Expiration;
import org.jspecify.annotations.Nullable;

/**
 * Calls through Spring Data Redis's blocking connection API, for Jedis (standalone,
 * Sentinel and Cluster). A Jedis call cannot be abandoned, so each runs on a thread of a
 * small bounded pool that this transport owns, and the request thread waits for it with
 * the store timeout. A call that timed out but that Redis executes later is undone once
 * it completes. {@code WAIT} runs on the connection that carried the write; a Jedis
 * Cluster connection borrows a node connection per command, so waiting for replicas is
 * refused there. {@link #executeAsync} hands the call to the same threads and never
 * blocks the caller.
 */
final class JedisScriptTransport implements ScriptTransport {

	/**
	 * Threads that call Redis at once; further calls queue, and wait within their
	 * timeout.
	 */
	static final int THREADS = 16;

	/** Calls that may wait for a thread; beyond it a call fails at once. */
	static final int QUEUE = 1024;

	private static final Log logger = LogFactory.getLog(JedisScriptTransport.class);

	private final RedisConnectionFactory connectionFactory;

	private final Settings settings;

	private final ThreadPoolExecutor executor;

	private final CallDeadlines deadlines = new CallDeadlines();

	JedisScriptTransport(JedisConnectionFactory connectionFactory, Settings settings) {
		if (settings.minReplicas() > 0 && connectionFactory.isRedisClusterAware()) {
			throw new IllegalStateException("idempotency.replication.min-replicas=" + settings.minReplicas()
					+ " is not supported with Jedis on a Redis Cluster: Jedis sends each command of a Cluster on a "
					+ "pooled node connection, so WAIT cannot follow the write on its connection. Use Lettuce "
					+ "(the default client of spring-boot-starter-data-redis) or set idempotency.replication.min-replicas=0.");
		}
		this.connectionFactory = connectionFactory;
		this.settings = settings;
		this.executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE),
				new NamedThreads());
		this.executor.allowCoreThreadTimeOut(true);
	}

	@Override
	public Reply execute(RedisCall call, @Nullable ScriptCall undo, Predicate<Object> wrote) {
		CompletableFuture<Reply> reply = submit(call, wrote);
		try {
			return reply.get(this.settings.timeoutWithReplicasNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw timedOut(reply, undo, wrote);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IdempotencyStoreException("Interrupted while waiting for Redis", ex);
		}
		catch (ExecutionException ex) {
			throw ScriptTransport.translate(ex);
		}
	}

	@Override
	public CompletionStage<Reply> executeAsync(RedisCall call, @Nullable ScriptCall undo, Predicate<Object> wrote) {
		CompletableFuture<Reply> reply;
		try {
			reply = submit(call, wrote);
		}
		catch (IdempotencyStoreException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.deadlines.bounded(reply, this.settings.timeoutWithReplicasNanos()).handle((value, failure) -> {
			if (failure == null) {
				return value;
			}
			throw ScriptTransport.isTimeout(failure) ? timedOut(reply, undo, wrote)
					: ScriptTransport.translate(failure);
		});
	}

	/**
	 * The calls run on this transport's own threads: the caller never waits for Redis.
	 */
	@Override
	public boolean isBlocking() {
		return false;
	}

	private CompletableFuture<Reply> submit(RedisCall call, Predicate<Object> wrote) {
		try {
			return CompletableFuture.supplyAsync(() -> run(call, wrote), this.executor);
		}
		catch (RejectedExecutionException ex) {
			throw new IdempotencyStoreException(
					"Too many Redis calls in flight (" + THREADS + " running, " + QUEUE + " waiting)", ex);
		}
	}

	/**
	 * Undoes a timed-out call should Redis execute it later, and answers the failure to
	 * throw.
	 */
	private IdempotencyStoreException timedOut(CompletableFuture<Reply> reply, @Nullable ScriptCall undo,
			Predicate<Object> wrote) {
		if (undo != null) {
			reply.whenComplete((late, failure) -> {
				if (failure != null || wrote.test(late.value())) {
					undo(undo);
				}
			});
		}
		return new IdempotencyStoreException(this.settings.timedOut(), null);
	}

	private Reply run(RedisCall call, Predicate<Object> wrote) {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Object value = (call instanceof ScriptCall script) ? evaluate(connection.scriptingCommands(), script)
					: setIfAbsent(connection, (SetIfAbsentCall) call);
			long acknowledged = (this.settings.minReplicas() > 0 && wrote.test(value)) ? awaitReplicas(connection) : 0;
			return new Reply(value, acknowledged);
		}
		catch (RuntimeException ex) {
			throw ScriptTransport.translate(ex);
		}
	}

	private static byte[] setIfAbsent(RedisConnection connection, SetIfAbsentCall call) {
		return connection.stringCommands()
			.setGet(call.key(), call.value(), Expiration.milliseconds(call.millis()), SetOption.SET_IF_ABSENT);
	}

	private static Object evaluate(RedisScriptingCommands scripting, ScriptCall call) {
		try {
			return scripting.evalSha(call.script().sha1(), call.returnType(), 1, call.keyAndArgs());
		}
		catch (RuntimeException ex) {
			if (!ScriptTransport.hasMessage(ex, "NOSCRIPT")) {
				throw ex;
			}
			return scripting.eval(call.text(), call.returnType(), 1, call.keyAndArgs());
		}
	}

	private long awaitReplicas(RedisConnection connection) {
		if (connection instanceof RedisClusterConnection) {
			throw new IdempotencyStoreException("WAIT is not supported with Jedis on a Redis Cluster", null);
		}
		Object acknowledged = connection.execute("WAIT", ascii(this.settings.minReplicas()),
				ascii(this.settings.replicaTimeout().toMillis()));
		return (acknowledged instanceof Number number) ? number.longValue() : 0;
	}

	private void undo(ScriptCall undo) {
		try {
			this.executor.execute(() -> {
				try (RedisConnection connection = this.connectionFactory.getConnection()) {
					evaluate(connection.scriptingCommands(), undo);
				}
				catch (RuntimeException ex) {
					logger.debug("Could not undo a timed-out call", ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Could not undo a timed-out call", ex);
		}
	}

	private static byte[] ascii(long value) {
		return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() {
		this.executor.shutdown();
		this.deadlines.close();
	}

	private static final class NamedThreads implements java.util.concurrent.ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "idempotency-redis-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
