package io.github.idempotency.internal.claim;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import io.github.idempotency.StoredResponse;
import org.jspecify.annotations.Nullable;

/**
 * What happens to a call once its key was claimed, or why it was not: run it within a
 * {@link Claim}, run it without idempotency (the store failed,
 * {@code store-failure=fail-open}), answer with the stored result, refuse it, or wait for
 * the call in flight with the same key and decide later. A door turns a decision into its
 * own outcome in one place, its {@link Cases}.
 */
public sealed interface Decision
		permits Decision.Run, Decision.RunWithoutIdempotency, Decision.Replay, Decision.Refused, Decision.Wait {

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

		/**
		 * A call with this key and fingerprint is still running and this one waits for it
		 * ({@code wait-for-in-progress}): the decision comes later, and is never another
		 * wait.
		 * @param wait the wait
		 * @return the door's outcome
		 * @throws E whatever the door throws
		 */
		T await(Wait wait) throws E;

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

		/**
		 * @return a refusal because a call with the same key is still running, without
		 * telling for how long
		 */
		public static Refused inProgress() {
			return because(Reason.IN_PROGRESS);
		}

		@Override
		public <T, E extends Throwable> T accept(Cases<T, E> cases) throws E {
			return cases.refuse(this);
		}

	}

	/**
	 * Wait for the call in flight with the same key and fingerprint.
	 *
	 * @param decision the decision once the wait ends: a replay, a run (the first call
	 * released the key and this one claimed it), a refusal ({@link Reason#IN_PROGRESS}
	 * when the wait is over, {@link Reason#STORE_UNAVAILABLE} when the store failed
	 * meanwhile, whatever {@code store-failure} says), never another wait; it never fails
	 * @param stopper stops the wait, see {@link #stop()}
	 */
	record Wait(CompletionStage<Decision> decision, Runnable stopper) implements Decision {

		/**
		 * Stops waiting (the caller went away): the decision then completes with
		 * {@link Reason#IN_PROGRESS} unless it has completed. A claim taken afterwards is
		 * given back; a {@link Run} the decision completed with before is the caller's to
		 * withdraw.
		 */
		public void stop() {
			this.stopper.run();
		}

		/**
		 * Waits on this thread for the decision. An interrupted thread stops the wait and
		 * is refused ({@link Reason#IN_PROGRESS}) with its interrupt flag set again; a
		 * claim the wait took meanwhile is given back.
		 * @return the decision
		 */
		public Decision join() {
			CompletableFuture<Decision> decision = this.decision.toCompletableFuture();
			try {
				return decision.get();
			}
			catch (InterruptedException ex) {
				stop();
				Thread.currentThread().interrupt();
				Decision late = decision.join();
				if (late instanceof Run run) {
					run.claim().withdraw("its caller was interrupted while it waited");
					return Refused.inProgress();
				}
				return late;
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("A wait failed, which it never should", ex.getCause());
			}
		}

		@Override
		public <T, E extends Throwable> T accept(Cases<T, E> cases) throws E {
			return cases.await(this);
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
