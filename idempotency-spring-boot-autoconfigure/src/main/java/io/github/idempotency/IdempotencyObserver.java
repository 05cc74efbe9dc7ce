package io.github.idempotency;

/**
 * Receives every decision and every store call, for metrics. Implementations must be
 * cheap and must not throw.
 */
public interface IdempotencyObserver {

	/** An observer that ignores everything. */
	IdempotencyObserver NONE = new IdempotencyObserver() {
	};

	/**
	 * Called once per request to an {@link Idempotent} method with the outcome.
	 * @param outcome what happened
	 * @param endpoint the handler method, as {@code Controller#method}
	 */
	default void onOutcome(Outcome outcome, String endpoint) {
	}

	/**
	 * Called after every store call.
	 * @param operation the operation
	 * @param nanos how long it took
	 * @param failed whether it threw
	 */
	default void onStoreCall(StoreOperation operation, long nanos, boolean failed) {
	}

	/**
	 * Called after each renewal of a running call's claim.
	 * @param renewal what the renewal found
	 * @param endpoint the idempotent method, as {@code Type#method}
	 */
	default void onRenewal(Renewal renewal, String endpoint) {
	}

	/**
	 * Called when a duplicate starts waiting for the call in flight with its key
	 * ({@code wait-for-in-progress}); {@link #onWait} follows when it stops.
	 * @param endpoint the idempotent method, as {@code Type#method}
	 */
	default void onWaitStarted(String endpoint) {
	}

	/**
	 * Called when a duplicate that waited for the call in flight with its key
	 * ({@code wait-for-in-progress}) stops waiting.
	 * @param end how the wait ended
	 * @param endpoint the idempotent method, as {@code Type#method}
	 * @param nanos how long it waited
	 */
	default void onWait(WaitEnd end, String endpoint, long nanos) {
	}

	/**
	 * Called after an operator evicted a key through the {@code idempotency} endpoint.
	 * @param evicted whether a record was deleted
	 */
	default void onEviction(boolean evicted) {
	}

	/** What a renewal of a running call's claim found. */
	enum Renewal {

		/** The claim was still the call's own and lives another lock timeout. */
		RENEWED,
		/**
		 * Another request holds the key (the claim expired and was taken over): the
		 * call's result will not be stored.
		 */
		LOST,
		/** The store failed or did not answer in time; the next renewal tries again. */
		FAILED;

		/**
		 * @return the lower-case name used as a metric tag
		 */
		public String tag() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/** How a duplicate's wait for the call in flight with its key ended. */
	enum WaitEnd {

		/** The first call finished; its stored result was replayed. */
		REPLAYED,
		/**
		 * The first call released the key (an exception, a 5xx); this one claimed it and
		 * ran.
		 */
		RAN,
		/** The first call was still running when the wait was over: 409. */
		TIMED_OUT,
		/**
		 * The key turned out to be reused, its response lost or its record unreadable.
		 */
		REFUSED,
		/** The store failed while the duplicate waited: 503, nothing ran. */
		FAILED;

		/**
		 * @return the lower-case name used as a metric tag
		 */
		public String tag() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/** What happened to a request. */
	enum Outcome {

		/** The method ran with a claimed key. */
		EXECUTED,
		/** A stored response was replayed. */
		REPLAYED,
		/** Another request with the same key was still running: 409. */
		CONFLICT,
		/** The key was used for a different request: 422. */
		MISMATCH,
		/** The key was missing or malformed, or the body too large: 400 or 413. */
		REJECTED,
		/** The store failed or timed out and the request was refused: 503. */
		STORE_ERROR,
		/** The store failed and the method ran without idempotency. */
		FAIL_OPEN,
		/**
		 * The method ran but its claim had expired and was taken over; nothing was
		 * stored.
		 */
		LOST_CLAIM,
		/**
		 * A request with this key took effect but its response was never stored (the JDBC
		 * store recorded the execution; the instance ended before storing the response):
		 * 410.
		 */
		RESPONSE_LOST,
		/**
		 * No key on a method with {@code required = false}: it ran without idempotency.
		 */
		UNKEYED,
		/**
		 * Spring MVC answered before the method was reached (unreadable or invalid body,
		 * wrong content type, an interceptor that refused the request); the key it
		 * claimed was given back, nothing was stored.
		 */
		NOT_RUN;

		/**
		 * @return the lower-case name used as a metric tag
		 */
		public String tag() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/** A store operation. */
	enum StoreOperation {

		/** {@link IdempotencyStore#claim}. */
		CLAIM,
		/** {@link IdempotencyStore#complete}. */
		COMPLETE,
		/** {@link IdempotencyStore#release}. */
		RELEASE,
		/** {@link IdempotencyStore#renew}. */
		RENEW;

		/**
		 * @return the lower-case name used as a metric tag
		 */
		public String tag() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
