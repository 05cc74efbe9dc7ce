package io.github.idempotency;

import java.time.Duration;

/**
 * Where claims and finished responses live. Every method is one atomic operation on one key.
 *
 * <p>A record is created by {@link #claim}, which either takes the key for an owner (a fresh
 * token per request) or reports what is already there. Only the owner can turn its claim into
 * a finished response ({@link #complete}) or give it up ({@link #release}); both are no-ops
 * once the claim has expired or belongs to someone else. Every record expires: a claim after
 * its lock timeout, a finished response after its TTL.
 *
 * <p>Implementations throw {@link IdempotencyStoreException} when the backend cannot be
 * reached in time, and {@link IdempotencyRecordException} when the record under a key cannot
 * be understood.
 */
public interface IdempotencyStore {

	/**
	 * Claims {@code key} for {@code owner} unless a live record exists.
	 * @param key the storage key
	 * @param owner the owner token of this request
	 * @param fingerprint the fingerprint of the request
	 * @param lockTimeout how long the claim lives unless completed or released
	 * @return {@link ClaimResult.Claimed} when the claim was taken, otherwise the live record
	 */
	ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout);

	/**
	 * Stores the finished response if {@code owner} still holds the claim.
	 * @param key the storage key
	 * @param owner the owner token used to claim the key
	 * @param response the response to replay
	 * @param ttl how long the response is kept
	 * @return {@code false} if the claim was lost (expired or taken over) and nothing was written
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
	 * Called on the thread that runs the call holding a claim, just before the call runs; the
	 * scope returned is closed on that thread once the call returned or threw. A store that can
	 * record, together with the call's side effects, that the call took effect does it while
	 * the scope is open: the JDBC store marks the record executed inside every transaction the
	 * call commits on its database, so a crash before {@link #complete} never lets the call run
	 * again ({@link ClaimResult.Executed}). The default does nothing.
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
