package io.github.idempotency.internal.redis;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.github.idempotency.IdempotencyStoreException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ConnectionIntent;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Lettuce driver: script calls on Lettuce's shared asynchronous connection
 * ({@link LettuceScriptTransport}), and commands to every node in use — the one
 * connection of a standalone or Sentinel setup, or every primary of a Cluster through the
 * same per-node connections the cluster client routes keys over. Commands to different
 * nodes run in parallel, so one call costs one round trip per node at most, bounded by
 * the given timeout.
 */
final class LettuceDriver implements RedisDriver {

	private final LettuceConnectionFactory connectionFactory;

	private final RedisTarget target;

	LettuceDriver(RedisConnectionFactory connectionFactory) {
		this.connectionFactory = (LettuceConnectionFactory) connectionFactory;
		this.target = target(this.connectionFactory);
	}

	static boolean supports(RedisConnectionFactory connectionFactory) {
		return connectionFactory instanceof LettuceConnectionFactory;
	}

	private static RedisTarget target(LettuceConnectionFactory factory) {
		Duration connectTimeout = factory.getClientConfiguration()
			.getClientOptions()
			.map(LettuceDriver::connectTimeout)
			.orElse(SocketOptions.DEFAULT_CONNECT_TIMEOUT_DURATION);
		return RedisTarget.of(factory.isClusterAware() ? factory.getClusterConfiguration() : null,
				factory.isRedisSentinelAware() ? factory.getSentinelConfiguration() : null,
				factory.getStandaloneConfiguration(), connectTimeout);
	}

	private static Duration connectTimeout(ClientOptions options) {
		return options.getSocketOptions().getConnectTimeout();
	}

	@Override
	public RedisTarget target() {
		return this.target;
	}

	@Override
	public ScriptTransport transport(ScriptTransport.Settings settings) {
		return new LettuceScriptTransport(this.connectionFactory, settings);
	}

	@Override
	public Map<String, String> warmUp(RedisConnection connection, long timeoutNanos) {
		return onEach(connection, LettuceDriver::warmUp, timeoutNanos);
	}

	@Override
	public Map<String, String> ping(RedisConnection connection, long timeoutNanos) {
		return onEach(connection, LettuceDriver::ping, timeoutNanos);
	}

	/**
	 * Sends the commands to every node in use and waits for all replies.
	 * @param connection a connection from the factory the store uses
	 * @param command what to send to one node; returns the node's reply
	 * @param timeoutNanos the longest to wait for all nodes together
	 * @return each node's reply by {@code host:port}
	 */
	@SuppressWarnings("unchecked")
	private Map<String, String> onEach(RedisConnection connection,
			Function<RedisClusterAsyncCommands<byte[], byte[]>, CompletionStage<String>> command, long timeoutNanos) {
		long deadline = System.nanoTime() + timeoutNanos;
		Object nativeConnection = connection.getNativeConnection();
		Map<String, CompletableFuture<String>> replies = new LinkedHashMap<>();
		if (nativeConnection instanceof RedisAdvancedClusterAsyncCommands<?, ?> cluster) {
			var stateful = ((RedisAdvancedClusterAsyncCommands<byte[], byte[]>) cluster).getStatefulConnection();
			for (RedisClusterNode node : stateful.getPartitions()) {
				if (node.getRole().isUpstream() && !node.getSlots().isEmpty()) {
					String host = node.getUri().getHost();
					int port = node.getUri().getPort();
					replies.put(host + ":" + port,
							stateful.getConnectionAsync(host, port, ConnectionIntent.WRITE)
								.thenCompose((nodeConnection) -> command.apply(nodeConnection.async()))
								.toCompletableFuture());
				}
			}
		}
		else {
			RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) nativeConnection;
			replies.put(this.target.connectionName(), command.apply(commands).toCompletableFuture());
		}
		Map<String, String> results = new LinkedHashMap<>();
		for (Map.Entry<String, CompletableFuture<String>> reply : replies.entrySet()) {
			results.put(reply.getKey(), await(reply.getKey(), reply.getValue(), deadline, timeoutNanos));
		}
		return results;
	}

	/**
	 * Loads every script of the store and reads the node's version, in one pipelined
	 * batch; answers the version.
	 */
	private static CompletionStage<String> warmUp(RedisClusterAsyncCommands<byte[], byte[]> commands) {
		List<CompletableFuture<String>> loads = RedisRecordScripts.ALL.stream()
			.map((script) -> commands.scriptLoad(script.bytes()).toCompletableFuture())
			.toList();
		CompletableFuture<String> version = commands.info("server")
			.thenApply(RedisServerVersion::fromInfo)
			.toCompletableFuture();
		return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenCompose((loaded) -> version);
	}

	private static CompletionStage<String> ping(RedisClusterAsyncCommands<byte[], byte[]> commands) {
		return commands.ping();
	}

	private static String await(String node, CompletableFuture<String> reply, long deadline, long timeoutNanos) {
		try {
			return reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			reply.cancel(false);
			throw new IdempotencyStoreException("Redis node " + node + " did not answer within "
					+ TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IdempotencyStoreException("Interrupted while waiting for Redis node " + node, ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IdempotencyStoreException("Redis node " + node + " failed: " + cause.getMessage(), cause);
		}
	}

}
