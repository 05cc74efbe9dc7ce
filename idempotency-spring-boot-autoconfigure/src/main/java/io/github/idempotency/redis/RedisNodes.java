package io.github.idempotency.redis;

import java.nio.charset.StandardCharsets;
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
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.ConnectionIntent;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Runs one command on every node the store writes to: the one connection of a standalone
 * or Sentinel setup, or every primary of a Cluster through the same per-node connections
 * the cluster client routes keys over. Commands to different nodes run in parallel, so one
 * call costs one round trip per node at most.
 */
final class RedisNodes {

	/** The store's scripts, loaded on every node before the first request. */
	static final List<RedisScript<?>> SCRIPTS = List.of(RedisRecordScripts.CLAIM, RedisRecordScripts.COMPLETE,
			RedisRecordScripts.RELEASE);

	private RedisNodes() {
	}

	/**
	 * Sends the commands to every node in use and waits for all replies.
	 * @param connection a connection from the factory the store uses
	 * @param standalone how to name the node of a standalone or Sentinel connection
	 * @param command what to send to one node; returns the node's reply
	 * @param timeoutNanos the longest to wait for all nodes together
	 * @return each node's reply by {@code host:port}
	 */
	@SuppressWarnings("unchecked")
	static Map<String, String> onEach(RedisConnection connection, String standalone,
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
			replies.put(standalone, command.apply(commands).toCompletableFuture());
		}
		Map<String, String> results = new LinkedHashMap<>();
		for (Map.Entry<String, CompletableFuture<String>> reply : replies.entrySet()) {
			results.put(reply.getKey(), await(reply.getKey(), reply.getValue(), deadline, timeoutNanos));
		}
		return results;
	}

	/**
	 * Loads every script of the store in one pipelined batch.
	 * @param commands the node's commands
	 * @return the SHA-1 digests, comma separated
	 */
	static CompletionStage<String> loadScripts(RedisClusterAsyncCommands<byte[], byte[]> commands) {
		List<CompletableFuture<String>> loads = SCRIPTS.stream()
			.map((script) -> commands.scriptLoad(script.getScriptAsString().getBytes(StandardCharsets.UTF_8))
				.toCompletableFuture())
			.toList();
		return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new))
			.thenApply((done) -> String.join(",", loads.stream().map(CompletableFuture::join).toList()));
	}

	private static String await(String node, CompletableFuture<String> reply, long deadline, long timeoutNanos) {
		try {
			return reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			reply.cancel(false);
			throw new IdempotencyStoreException(
					"Redis node " + node + " did not answer within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms",
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IdempotencyStoreException("Interrupted while waiting for Redis node " + node, ex);
		}
		catch (ExecutionException ex) {
			throw new IdempotencyStoreException("Redis node " + node + " failed: " + ex.getCause().getMessage(),
					ex.getCause());
		}
	}

}
