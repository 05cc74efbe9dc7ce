package io.github.idempotency.internal.redis;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyStoreException;

import org.jspecify.annotations.Nullable;

/**
 * How {@link RedisIdempotencyStore} sends one call to Redis with one Redis client: a
 * script as {@code EVALSHA}, falling back to {@code EVAL} on {@code NOSCRIPT}, or a plain
 * {@code SET … NX GET PX}, bounded by the store timeout, followed by {@code WAIT} on the
 * same connection when replicas must acknowledge the write.
 */
interface ScriptTransport extends AutoCloseable {

	/**
	 * Runs a call within the store timeout.
	 * @param call the script or {@code SET} call
	 * @param undo a call that reverses {@code call} should Redis execute it after the
	 * store timeout; {@code null} for none
	 * @param wrote whether a reply means the call wrote, so replicas must acknowledge it
	 * @return the reply and, when waiting for replicas and {@code wrote}, how many
	 * acknowledged
	 * @throws IdempotencyStoreException when Redis failed or did not answer in time
	 * @throws IdempotencyRecordException when the key holds another Redis type
	 */
	Reply execute(RedisCall call, @Nullable ScriptCall undo, Predicate<Object> wrote);

	/**
	 * Runs a call within the store timeout, without waiting for it.
	 * @param call the script or {@code SET} call
	 * @param undo a call that reverses {@code call} should Redis execute it after the
	 * store timeout; {@code null} for none
	 * @param wrote whether a reply means the call wrote, so replicas must acknowledge it
	 * @return the reply, or {@link IdempotencyStoreException} or
	 * {@link IdempotencyRecordException}
	 */
	CompletionStage<Reply> executeAsync(RedisCall call, @Nullable ScriptCall undo, Predicate<Object> wrote);

	/**
	 * Whether {@link #executeAsync} may block the calling thread.
	 * @return {@code false} when it never does
	 */
	boolean isBlocking();

	/** Releases what the transport holds (threads); the connection factory stays open. */
	@Override
	void close();

	/**
	 * The reply of a call and the replicas that acknowledged its write.
	 *
	 * @param value the call's reply
	 * @param acknowledged replicas that acknowledged the write; 0 when not waiting for
	 * replicas
	 */
	record Reply(Object value, long acknowledged) {
	}

	/**
	 * The timeouts and replication settings of a transport.
	 *
	 * @param timeout the longest a script call may take
	 * @param minReplicas replicas that must acknowledge each write; 0 to not wait
	 * @param replicaTimeout the longest to wait for them
	 */
	record Settings(Duration timeout, int minReplicas, Duration replicaTimeout) {

		long timeoutNanos() {
			return this.timeout.toNanos();
		}

		/**
		 * @return the longest a call and its wait for replicas may take together
		 */
		long timeoutWithReplicasNanos() {
			return this.timeout.toNanos() + ((this.minReplicas > 0) ? this.replicaTimeout.toNanos() : 0);
		}

		String timedOut() {
			return "Redis did not answer within " + this.timeout.toMillis() + " ms";
		}

	}

	/**
	 * Whether a stage failed because its time ran out.
	 * @param failure what the stage completed with
	 * @return whether it is a {@link TimeoutException}
	 */
	static boolean isTimeout(Throwable failure) {
		return unwrap(failure) instanceof TimeoutException;
	}

	/**
	 * The failure a stage completed with, without the wrapper dependent stages add.
	 * @param failure what a stage completed with
	 * @return the failure itself
	 */
	static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

	/**
	 * Translates what a client's future failed with into the store's exceptions.
	 * @param failure the future's failure
	 * @return the store's exception to throw
	 */
	static RuntimeException translate(ExecutionException failure) {
		return translate((failure.getCause() != null) ? failure.getCause() : failure);
	}

	/**
	 * Translates a failure of Redis or its client into the store's exceptions.
	 * @param failure what the client threw
	 * @return the store's exception to throw
	 */
	static RuntimeException translate(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof IdempotencyStoreException || cause instanceof IdempotencyRecordException) {
			return (RuntimeException) cause;
		}
		if (hasMessage(cause, "WRONGTYPE")) {
			return new IdempotencyRecordException("A key used for idempotency records holds another type", cause);
		}
		return new IdempotencyStoreException("Redis failed: " + cause.getMessage(), cause);
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
