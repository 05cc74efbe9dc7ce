package io.github.idempotency.client;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * Receives the outcome of every call a client interceptor made: the first answer or a
 * replay, or a failure, and how many attempts it took. The starter counts them in
 * Micrometer when a {@code MeterRegistry} exists.
 */
@FunctionalInterface
public interface ClientOutcomes {

	/** Outcomes nobody counts. */
	ClientOutcomes NONE = (outcome) -> {
	};

	/**
	 * Called once per call.
	 * @param outcome what happened
	 */
	void record(Outcome outcome);

	/**
	 * What happened to one call.
	 *
	 * @param method the request method
	 * @param result {@code first} (the server ran it), {@code replayed} (the server
	 * answered with the stored response of an earlier attempt) or {@code failed} (no
	 * answer, or a retryable one after the last attempt)
	 * @param attempts how many attempts it took
	 */
	record Outcome(HttpMethod method, String result, int attempts) {

		static Outcome of(HttpMethod method, @Nullable String replayedHeader, int attempts) {
			return new Outcome(method, "true".equals(replayedHeader) ? "replayed" : "first", attempts);
		}

	}

	/**
	 * @return outcomes passed to a consumer, for tests and logs
	 */
	static ClientOutcomes to(Consumer<Outcome> consumer) {
		return consumer::accept;
	}

}
