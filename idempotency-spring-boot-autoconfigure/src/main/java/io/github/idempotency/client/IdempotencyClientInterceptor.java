package io.github.idempotency.client;

import java.io.IOException;
import java.time.Duration;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * The client half for {@code RestClient} and {@code RestTemplate}: a request of a
 * non-idempotent method ({@code POST}, {@code PATCH}) gets an idempotency key unless it
 * has one (the key bound by {@link IdempotencyKeys#withKey}, else a fresh UUID), and the
 * call is retried with that same key on connection failures, timeouts, {@code 409} with
 * {@code Retry-After}, {@code 502}, {@code 503} and {@code 504}
 * ({@link ClientRetryPolicy}). The body of an intercepted request is held as bytes, so it
 * can always be sent again. Other methods pass untouched.
 */
public final class IdempotencyClientInterceptor implements ClientHttpRequestInterceptor {

	private final ClientRetryPolicy policy;

	private final IdempotencyKeys keys;

	private final ClientOutcomes outcomes;

	/**
	 * Creates the interceptor.
	 * @param policy the methods, the key header and the retries
	 * @param keys the keys bound to logical calls
	 * @param outcomes receives the outcome of every call
	 */
	public IdempotencyClientInterceptor(ClientRetryPolicy policy, IdempotencyKeys keys, ClientOutcomes outcomes) {
		Assert.notNull(policy, "policy must not be null");
		Assert.notNull(keys, "keys must not be null");
		Assert.notNull(outcomes, "outcomes must not be null");
		this.policy = policy;
		this.keys = keys;
		this.outcomes = outcomes;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		if (!this.policy.appliesTo(request.getMethod())) {
			return execution.execute(request, body);
		}
		if (request.getHeaders().getFirst(this.policy.headerName()) == null) {
			String key = this.keys.current().orElseGet(IdempotencyKeys::newKey);
			request.getHeaders().set(this.policy.headerName(), ClientRetryPolicy.headerValue(key));
		}
		for (int attempt = 1;; attempt++) {
			ClientHttpResponse response;
			try {
				response = execution.execute(request, body);
			}
			catch (IOException ex) {
				if (attempt >= this.policy.maxAttempts()) {
					this.outcomes.record(new ClientOutcomes.Outcome(request.getMethod(), "failed", attempt));
					throw ex;
				}
				pause(this.policy.pauseAfter(attempt, null));
				continue;
			}
			int status = response.getStatusCode().value();
			String retryAfter = response.getHeaders().getFirst("Retry-After");
			if (!ClientRetryPolicy.isRetryable(status, retryAfter)) {
				this.outcomes.record(ClientOutcomes.Outcome.of(request.getMethod(),
						response.getHeaders().getFirst("Idempotent-Replayed"), attempt));
				return response;
			}
			if (attempt >= this.policy.maxAttempts()) {
				this.outcomes.record(new ClientOutcomes.Outcome(request.getMethod(), "failed", attempt));
				return response;
			}
			response.close();
			pause(this.policy.pauseAfter(attempt, retryAfter));
		}
	}

	private static void pause(Duration pause) throws IOException {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while waiting to retry with the same idempotency key", ex);
		}
	}

}
