package io.github.idempotency.redis;

import java.time.Duration;
import java.util.function.Predicate;

import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyStoreException;

import org.springframework.lang.Nullable;

/**
 * How {@link RedisIdempotencyStore} sends one call to Redis with one Redis client: a script
 * as {@code EVALSHA}, falling back to {@code EVAL} on {@code NOSCRIPT}, or a plain
 * {@code SET … NX GET PX}, bounded by the store timeout, followed by {@code WAIT} on the same
 * connection when replicas must acknowledge the write.
 */
interface ScriptTransport extends AutoCloseable {

	/**
	 * Runs a call within the store timeout.
	 * @param call the script or {@code SET} call
	 * @param undo a call that reverses {@code call} should Redis execute it after the store
	 * timeout; {@code null} for none
	 * @param wrote whether a reply means the call wrote, so replicas must acknowledge it
	 * @return the reply and, when waiting for replicas and {@code wrote}, how many acknowledged
	 * @throws IdempotencyStoreException when Redis failed or did not answer in time
	 * @throws IdempotencyRecordException when the key holds another Redis type
	 */
	Reply execute(RedisCall call, @Nullable ScriptCall undo, Predicate<Object> wrote);

	/** Releases what the transport holds (threads); the connection factory stays open. */
	@Override
	void close();

	/**
	 * The reply of a call and the replicas that acknowledged its write.
	 * @param value the call's reply
	 * @param acknowledged replicas that acknowledged the write; 0 when not waiting for replicas
	 */
	record Reply(Object value, long acknowledged) {
	}

	/**
	 * The timeouts and replication settings of a transport.
	 * @param timeout the longest a script call may take
	 * @param minReplicas replicas that must acknowledge each write; 0 to not wait
	 * @param replicaTimeout the longest to wait for them
	 */
	record Settings(Duration timeout, int minReplicas, Duration replicaTimeout) {

		long timeoutNanos() {
			return this.timeout.toNanos();
		}

		/** @return the longest a call and its wait for replicas may take together */
		long timeoutWithReplicasNanos() {
			return this.timeout.toNanos() + ((this.minReplicas > 0) ? this.replicaTimeout.toNanos() : 0);
		}

		String timedOut() {
			return "Redis did not answer within " + this.timeout.toMillis() + " ms";
		}

	}

	/**
	 * Translates a failure of Redis or its client into the store's exceptions.
	 * @param failure what the client threw
	 * @return the store's exception to throw
	 */
	static RuntimeException translate(Throwable failure) {
		if (failure instanceof IdempotencyStoreException || failure instanceof IdempotencyRecordException) {
			return (RuntimeException) failure;
		}
		if (hasMessage(failure, "WRONGTYPE")) {
			return new IdempotencyRecordException("A key used for idempotency records holds another type", failure);
		}
		return new IdempotencyStoreException("Redis failed: " + failure.getMessage(), failure);
	}

	/**
	 * Whether a failure or one of its causes carries a Redis error of a type.
	 * @param failure the failure
	 * @param errorType the first word of the Redis error, e.g. {@code NOSCRIPT}
	 * @return whether it does
	 */
	static boolean hasMessage(Throwable failure, String errorType) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (String.valueOf(cause.getMessage()).contains(errorType)) {
				return true;
			}
		}
		return false;
	}

}
