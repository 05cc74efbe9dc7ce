package io.github.idempotency.internal.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.RecordInspection;
import io.github.idempotency.StoredResponse;
import org.jspecify.annotations.Nullable;

/**
 * A store whose calls first make sure the {@link RedisStoreConnector} has connected: a
 * volatile read once connected; before that, one shared connection attempt or a store
 * failure. The asynchronous calls never wait for an attempt: before the connector has
 * connected they fail at once, and the connector keeps trying in the background.
 */
final class ConnectedStore implements IdempotencyStore, AutoCloseable {

	private final IdempotencyStore delegate;

	private final RedisStoreConnector connector;

	ConnectedStore(IdempotencyStore delegate, RedisStoreConnector connector) {
		this.delegate = delegate;
		this.connector = connector;
	}

	@Override
	public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
		this.connector.awaitConnected();
		return this.delegate.claim(key, owner, fingerprint, lockTimeout);
	}

	@Override
	public boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
		this.connector.awaitConnected();
		return this.delegate.complete(key, owner, response, ttl);
	}

	@Override
	public boolean release(String key, String owner) {
		this.connector.awaitConnected();
		return this.delegate.release(key, owner);
	}

	@Override
	public boolean isBlocking() {
		return this.delegate.isBlocking();
	}

	@Override
	public CompletionStage<ClaimResult> claimAsync(String key, String owner, String fingerprint, Duration lockTimeout) {
		return whenConnected(() -> this.delegate.claimAsync(key, owner, fingerprint, lockTimeout));
	}

	@Override
	public CompletionStage<Boolean> completeAsync(String key, String owner, StoredResponse response, Duration ttl) {
		return whenConnected(() -> this.delegate.completeAsync(key, owner, response, ttl));
	}

	@Override
	public CompletionStage<Boolean> releaseAsync(String key, String owner) {
		return whenConnected(() -> this.delegate.releaseAsync(key, owner));
	}

	@Override
	public boolean renew(String key, String owner, Duration lockTimeout) {
		this.connector.awaitConnected();
		return this.delegate.renew(key, owner, lockTimeout);
	}

	@Override
	public CompletionStage<Boolean> renewAsync(String key, String owner, Duration lockTimeout) {
		return whenConnected(() -> this.delegate.renewAsync(key, owner, lockTimeout));
	}

	@Override
	public @Nullable RecordInspection inspect(String key) {
		this.connector.awaitConnected();
		return this.delegate.inspect(key);
	}

	@Override
	public boolean evict(String key) {
		this.connector.awaitConnected();
		return this.delegate.evict(key);
	}

	private <T> CompletionStage<T> whenConnected(Supplier<CompletionStage<T>> call) {
		try {
			this.connector.requireConnected();
			return call.get();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	@Override
	public Execution executing(String key, String owner, Duration ttl) {
		return this.delegate.executing(key, owner, ttl);
	}

	/**
	 * Closes the store (the threads of a Jedis store); called when the application
	 * context closes.
	 */
	@Override
	public void close() throws Exception {
		if (this.delegate instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
