package io.github.idempotency.internal.claim;

import java.time.Duration;

import io.github.idempotency.StoredResponse;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a call once its key was claimed, or why it was not: run it within a
 * {@link Claim}, run it without idempotency (the store failed,
 * {@code store-failure=fail-open}), answer with the stored result, or refuse it. A door
 * turns a decision into its own outcome in one place, its {@link Cases}.
 */
public sealed interface Decision
		permits Decision.Run, Decision.RunWithoutIdempotency, Decision.Replay, Decision.Refused {

	/**
	 * Hands this decision to the case that handles it.
	 * @param <T> what the door makes of a decision
	 * @param <E> what the door may throw
	 * @param cases the door's cases
	 * @return what the case returned
	 * @throws E whatever the case throws
	 */
	<T, E extends Throwable> T accept(Cases<T, E> cases) throws E;

	/**
	 * What a door does with each decision.
	 *
	 * @param <T> what the door makes of a decision
	 * @param <E> what the door may throw
	 */
	interface Cases<T, E extends Throwable> {

		/**
		 * The key was free and now belongs to this call: run it, then settle the claim.
		 * @param claim the claim to settle once the call's result is known
		 * @return the door's outcome
		 * @throws E whatever the door throws
		 */
		T run(Claim claim) throws E;

		/**
		 * The store failed and {@code store-failure} is {@code fail-open}: run without
		 * idempotency.
		 * @return the door's outcome
		 * @throws E whatever the door throws
		 */
		T runWithoutIdempotency() throws E;

		/**
		 * A call with this key and fingerprint finished: answer with its stored result,
		 * and count the call {@code replayed} once the result was delivered (or
		 * {@code store_error} should it not be readable).
		 * @param response the stored result
		 * @return the door's outcome
		 * @throws E whatever the door throws
		 */
		T replay(StoredResponse response) throws E;

		/**
		 * The call does not run, for the refusal's reason.
		 * @param refusal why
		 * @return the door's outcome
		 * @throws E whatever the door throws
		 */
		T refuse(Refused refusal) throws E;

	}

	/**
	 * Run the call within the claim.
	 *
	 * @param claim the claim to settle once the call's result is known
	 */
	record Run(Claim claim) implements Decision {

		@Override
		public <T, E extends Throwable> T accept(Cases<T, E> cases) throws E {
			return cases.run(this.claim);
		}

	}

	/** Run the call without idempotency. */
	record RunWithoutIdempotency() implements Decision {

		@Override
		public <T, E extends Throwable> T accept(Cases<T, E> cases) throws E {
			return cases.runWithoutIdempotency();
		}

	}

	/**
	 * Answer with the stored result.
	 *
	 * @param response the stored result
	 */
	record Replay(StoredResponse response) implements Decision {

		@Override
		public <T, E extends Throwable> T accept(Cases<T, E> cases) throws E {
			return cases.replay(this.response);
		}

	}

	/**
	 * The call does not run.
	 *
	 * @param reason why
	 * @param expiresIn for {@link Reason#IN_PROGRESS}: how long the first call's claim
	 * still lives unless it finishes, or {@code null} when the store cannot tell
	 * @param failure for {@link Reason#STORE_UNAVAILABLE} and
	 * {@link Reason#RECORD_UNREADABLE}: what the store threw
	 */
	record Refused(Reason reason, @Nullable Duration expiresIn,
			@Nullable RuntimeException failure) implements Decision {

		static Refused because(Reason reason) {
			return new Refused(reason, null, null);
		}

		@Override
		public <T, E extends Throwable> T accept(Cases<T, E> cases) throws E {
			return cases.refuse(this);
		}

	}

	/** Why a call does not run. */
	enum Reason {

		/** A call with this key and fingerprint is still running. */
		IN_PROGRESS,

		/** The key belongs to a call with another fingerprint. */
		KEY_REUSED,

		/**
		 * A call with this key and fingerprint took effect but its result was never
		 * stored: the call does not run again, and its result cannot be given.
		 */
		RESPONSE_LOST,

		/** The record under the key cannot be read. */
		RECORD_UNREADABLE,

		/**
		 * The store failed or did not answer in time and {@code store-failure} is
		 * {@code fail-closed}.
		 */
		STORE_UNAVAILABLE

	}

}
