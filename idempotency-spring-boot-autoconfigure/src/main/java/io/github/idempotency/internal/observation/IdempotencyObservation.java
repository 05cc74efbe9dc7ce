package io.github.idempotency.internal.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of the starter (Micrometer Observation, so one instrumentation gives
 * metrics and, with Spring Boot's tracing, spans): one per request to an
 * {@code @Idempotent} handler or call of an {@code @Idempotent(key = ...)} method, and
 * one per store call inside it. Key values are low-cardinality only: never a key, a path
 * or a body.
 */
public enum IdempotencyObservation implements ObservationDocumentation {

	/** A request or call, from its claim to its settlement. */
	CALL {
		@Override
		public String getName() {
			return CALL_NAME;
		}

		@Override
		public String getContextualName() {
			return "idempotency";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return CallKeys.values();
		}
	},

	/** One call to the store: a claim, a completion or a release. */
	STORE {
		@Override
		public String getName() {
			return "idempotency.store.call";
		}

		@Override
		public String getContextualName() {
			return "idempotency store";
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return StoreKeys.values();
		}
	};

	/** The name of {@link #CALL}. */
	public static final String CALL_NAME = "idempotency.call";

	/**
	 * The value of a key not known yet, or never learnt (a call that failed before a
	 * decision).
	 */
	public static final String UNKNOWN = "unknown";

	/** Key values of {@link #CALL}. */
	public enum CallKeys implements KeyName {

		/** The method, as {@code Type#method}. */
		ENDPOINT {
			@Override
			public String asString() {
				return "endpoint";
			}
		},

		/** What happened, as the {@code outcome} tag of {@code idempotency.requests}. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/** Key values of {@link #STORE}. */
	public enum StoreKeys implements KeyName {

		/** {@code claim}, {@code complete} or {@code release}. */
		OPERATION {
			@Override
			public String asString() {
				return "operation";
			}
		},

		/** {@code success} or {@code failure}. */
		RESULT {
			@Override
			public String asString() {
				return "result";
			}
		}

	}

}
