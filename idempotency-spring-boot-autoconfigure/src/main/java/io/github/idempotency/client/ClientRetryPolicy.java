package io.github.idempotency.client;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.util.Assert;

/**
 * What the client interceptors do: which methods get a key, the key header, and how a
 * call is retried with the same key — on connection failures and timeouts, on {@code 409}
 * with {@code Retry-After} (the first request with the key still runs; waiting as told,
 * capped), on {@code 502}, {@code 503} and {@code 504} — with at most {@code maxAttempts}
 * attempts and an exponential back-off with jitter. Any other status is the call's
 * answer.
 *
 * @param methods the methods that get a key ({@code POST} and {@code PATCH} by default)
 * @param headerName the request header of the key
 * @param maxAttempts the most attempts per call, 1 for no retries of its own
 * @param initialBackoff the pause before the second attempt
 * @param maxBackoff the longest pause between attempts; the pause doubles up to it
 * @param maxRetryAfter the longest a {@code Retry-After} is honoured
 */
public record ClientRetryPolicy(Set<HttpMethod> methods, String headerName, int maxAttempts, Duration initialBackoff,
		Duration maxBackoff, Duration maxRetryAfter) {

	/** The policy of the starter's defaults. */
	public static final ClientRetryPolicy DEFAULT = new ClientRetryPolicy(Set.of(HttpMethod.POST, HttpMethod.PATCH),
			"Idempotency-Key", 3, Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(10));

	public ClientRetryPolicy {
		Assert.notEmpty(methods, "methods must not be empty");
		Assert.hasText(headerName, "headerName must not be empty");
		Assert.isTrue(maxAttempts >= 1, "maxAttempts must be at least 1");
		Assert.isTrue(!initialBackoff.isNegative() && maxBackoff.compareTo(initialBackoff) >= 0,
				"maxBackoff must not be shorter than initialBackoff");
		Assert.isTrue(!maxRetryAfter.isNegative(), "maxRetryAfter must not be negative");
		methods = Set.copyOf(methods);
	}

	/**
	 * The policy with other methods.
	 * @param names method names, e.g. {@code POST}
	 * @return the changed policy
	 */
	public ClientRetryPolicy withMethods(Set<String> names) {
		return new ClientRetryPolicy(
				names.stream()
					.map((name) -> HttpMethod.valueOf(name.trim().toUpperCase(Locale.ROOT)))
					.collect(Collectors.toSet()),
				this.headerName, this.maxAttempts, this.initialBackoff, this.maxBackoff, this.maxRetryAfter);
	}

	/** Whether a request of this method gets a key. */
	boolean appliesTo(HttpMethod method) {
		return this.methods.contains(method);
	}

	/** Whether an answer with this status is retried with the same key. */
	static boolean isRetryable(int status, @Nullable String retryAfter) {
		return (status == 409 && retryAfter != null) || status == 502 || status == 503 || status == 504;
	}

	/**
	 * How long to wait before the next attempt.
	 * @param attempt the attempt that just failed, from 1
	 * @param retryAfter the answer's {@code Retry-After} in seconds, or {@code null}
	 * @return the pause
	 */
	Duration pauseAfter(int attempt, @Nullable String retryAfter) {
		if (retryAfter != null) {
			try {
				Duration asked = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
				return (asked.compareTo(this.maxRetryAfter) > 0) ? this.maxRetryAfter : asked;
			}
			catch (NumberFormatException ex) {
				// an HTTP date or garbage: fall back on the back-off
			}
		}
		long exponential = this.initialBackoff.toMillis() << Math.min(attempt - 1, 20);
		long capped = Math.min(exponential, this.maxBackoff.toMillis());
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

	/**
	 * The header value of a key: a Structured Field string (RFC 9651), quotes and
	 * backslashes escaped.
	 */
	static String headerValue(String key) {
		return "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
