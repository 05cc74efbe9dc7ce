package io.github.idempotency;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Where claims and finished responses live. Every method is one atomic operation on one
 * key.
 *
 * <p>
 * A record is created by {@link #claim}, which either takes the key for an owner (a fresh
 * token per request) or reports what is already there. Only the owner can turn its claim
 * into a finished response ({@link #complete}) or give it up ({@link #release}); both are
 * no-ops once the claim has expired or belongs to someone else. Every record expires: a
 * claim after its lock timeout, a finished response after its TTL.
 *
 * <p>
 * Implementations throw {@link IdempotencyStoreException} when the backend cannot be
 * reached in time, and {@link IdempotencyRecordException} when the record under a key
 * cannot be understood.
 *
 * <p>
 * A door that must not block its thread (the WebFlux door, on an event loop) calls the
 * {@code …Async} variants. They run the blocking call in the calling thread unless a
 * store overrides them; such a store answers {@code false} from {@link #isBlocking()},
 * and the door calls a store that answers {@code true} on a bounded pool of threads of
 * its own. Failures of the asynchronous calls are the same exceptions, completing the
 * stage.
 */
public interface IdempotencyStore {

	/**
	 * Claims {@code key} for {@code owner} unless a live record exists.
	 * @param key the storage key
	 * @param owner the owner token of this request
	 * @param fingerprint the fingerprint of the request
	 * @param lockTimeout how long the claim lives unless completed or released
	 * @return {@link ClaimResult.Claimed} when the claim was taken, otherwise the live
	 * record
	 */
	ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout);

	/**
	 * Stores the finished response if {@code owner} still holds the claim.
	 * @param key the storage key
	 * @param owner the owner token used to claim the key
	 * @param response the response to replay
	 * @param ttl how long the response is kept
	 * @return {@code false} if the claim was lost (expired or taken over) and nothing was
	 * written
	 */
	boolean complete(String key, String owner, StoredResponse response, Duration ttl);

	/**
	 * Deletes the claim if {@code owner} still holds it, so a retry can run again.
	 * @param key the storage key
	 * @param owner the owner token used to claim the key
	 * @return {@code false} if the claim was lost and nothing was deleted
	 */
	boolean release(String key, String owner);

	/**
	 * Whether the {@code …Async} calls may block the calling thread. The default,
	 * {@code true}, suits a store that only implements the blocking calls.
	 * @return {@code false} when the asynchronous calls never block
	 */
	default boolean isBlocking() {
		return true;
	}

	/**
	 * {@link #claim} without waiting for the store.
	 * @param key the storage key
	 * @param owner the owner token of this request
	 * @param fingerprint the fingerprint of the request
	 * @param lockTimeout how long the claim lives unless completed or released
	 * @return the result of {@link #claim}, or its failure
	 */
	default CompletionStage<ClaimResult> claimAsync(String key, String owner, String fingerprint,
			Duration lockTimeout) {
		return inline(() -> claim(key, owner, fingerprint, lockTimeout));
	}

	/**
	 * {@link #complete} without waiting for the store.
	 * @param key the storage key
	 * @param owner the owner token used to claim the key
	 * @param response the response to replay
	 * @param ttl how long the response is kept
	 * @return the result of {@link #complete}, or its failure
	 */
	default CompletionStage<Boolean> completeAsync(String key, String owner, StoredResponse response, Duration ttl) {
		return inline(() -> complete(key, owner, response, ttl));
	}

	/**
	 * {@link #release} without waiting for the store.
	 * @param key the storage key
	 * @param owner the owner token used to claim the key
	 * @return the result of {@link #release}, or its failure
	 */
	default CompletionStage<Boolean> releaseAsync(String key, String owner) {
		return inline(() -> release(key, owner));
	}

	/**
	 * Extends the lock of a claim that its owner still holds and has not finished: it
	 * lives {@code lockTimeout} from now. The starter renews the claim of a call that
	 * runs longer than a third of its lock timeout, so a slow call keeps its key while a
	 * crashed instance's key frees itself one lock timeout after the last renewal. A
	 * store that cannot renew keeps the default, which throws; its claims then live their
	 * lock timeout from the claim, as before renewals existed.
	 * @param key the storage key
	 * @param owner the owner token used to claim the key
	 * @param lockTimeout how long the claim lives from now
	 * @return {@code false} if the claim was lost (expired, taken over or finished) and
	 * nothing was changed
	 * @throws UnsupportedOperationException if the store cannot renew claims
	 */
	default boolean renew(String key, String owner, Duration lockTimeout) {
		throw new UnsupportedOperationException(getClass().getName() + " does not renew claims");
	}

	/**
	 * {@link #renew} without waiting for the store.
	 * @param key the storage key
	 * @param owner the owner token used to claim the key
	 * @param lockTimeout how long the claim lives from now
	 * @return the result of {@link #renew}, or its failure
	 */
	default CompletionStage<Boolean> renewAsync(String key, String owner, Duration lockTimeout) {
		return inline(() -> renew(key, owner, lockTimeout));
	}

	/**
	 * Reads what is stored under a key, for an operator (the {@code idempotency} Actuator
	 * endpoint): never on a request's path.
	 * @param key the storage key
	 * @return the record and how long it still lives, or {@code null} when there is none
	 * @throws IdempotencyRecordException if the record cannot be read
	 * @throws UnsupportedOperationException if the store cannot be inspected (the
	 * default)
	 */
	default @Nullable RecordInspection inspect(String key) {
		throw new UnsupportedOperationException(getClass().getName() + " cannot be inspected");
	}

	/**
	 * Deletes whatever is stored under a key, claim or finished response, for an operator
	 * who must unblock a key or drop a response that must not be replayed: the next
	 * request with the key runs.
	 * @param key the storage key
	 * @return whether a record was deleted
	 * @throws UnsupportedOperationException if the store cannot evict (the default)
	 */
	default boolean evict(String key) {
		throw new UnsupportedOperationException(getClass().getName() + " cannot evict records");
	}

	private static <T> CompletionStage<T> inline(Supplier<T> call) {
		try {
			return CompletableFuture.completedFuture(call.get());
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	/**
	 * Called on the thread that runs the call holding a claim, just before the call runs;
	 * the scope returned is closed on that thread once the call returned or threw. A
	 * store that can record, together with the call's side effects, that the call took
	 * effect does it while the scope is open: the JDBC store marks the record executed
	 * inside every transaction the call commits on its database, so a crash before
	 * {@link #complete} never lets the call run again ({@link ClaimResult.Executed}). The
	 * default does nothing.
	 * @param key the storage key
	 * @param owner the owner token used to claim the key
	 * @param ttl how long the record is kept once the call took effect
	 * @return the scope, closed when the call has run
	 */
	default Execution executing(String key, String owner, Duration ttl) {
		return Execution.NONE;
	}

	/**
	 * The scope of a running call, opened by {@link #executing}.
	 */
	@FunctionalInterface
	interface Execution extends AutoCloseable {

		/** A scope that does nothing. */
		Execution NONE = () -> {
		};

		/** Ends the scope; never throws. */
		@Override
		void close();

	}

}
