package io.github.idempotency.client;

import java.io.IOException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * The client half for {@code WebClient}: the same key and retries as
 * {@link IdempotencyClientInterceptor}, without blocking: the pauses are Reactor delays.
 * The key of a logical call travels in the Reactor context ({@link #withKey}). A retry
 * writes the body again; a request whose body can be written only once (a one-shot
 * {@code Flux}) is marked with the attribute {@link #NOT_REPEATABLE} and is then sent
 * once.
 */
public final class IdempotencyExchangeFilterFunction implements ExchangeFilterFunction {

	/** The Reactor context entry that carries the key of a logical call. */
	public static final String CONTEXT_KEY = IdempotencyExchangeFilterFunction.class.getName() + ".key";

	/**
	 * A request attribute that marks a request whose body can be written only once (a
	 * one-shot {@code Flux}): it gets its key but is sent once, never retried.
	 */
	public static final String NOT_REPEATABLE = IdempotencyExchangeFilterFunction.class.getName() + ".notRepeatable";

	private final ClientRetryPolicy policy;

	private final ClientOutcomes outcomes;

	/**
	 * Creates the filter.
	 * @param policy the methods, the key header and the retries
	 * @param outcomes receives the outcome of every call
	 */
	public IdempotencyExchangeFilterFunction(ClientRetryPolicy policy, ClientOutcomes outcomes) {
		Assert.notNull(policy, "policy must not be null");
		Assert.notNull(outcomes, "outcomes must not be null");
		this.policy = policy;
		this.outcomes = outcomes;
	}

	/**
	 * Binds one fresh key to a logical call, whatever retries it ({@code retryWhen} and
	 * the like placed inside {@code call}).
	 * @param <T> the call's result
	 * @param call the call
	 * @return the call with its key in the Reactor context
	 */
	public static <T> Mono<T> withKey(Mono<T> call) {
		return Mono.defer(() -> call.contextWrite((context) -> context.put(CONTEXT_KEY, IdempotencyKeys.newKey())));
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		if (!this.policy.appliesTo(request.method())) {
			return next.exchange(request);
		}
		if (request.headers().getFirst(this.policy.headerName()) != null) {
			return attempt(request, next, 1);
		}
		return Mono.deferContextual((context) -> {
			String key = context.<String>getOrEmpty(CONTEXT_KEY).orElseGet(IdempotencyKeys::newKey);
			ClientRequest keyed = ClientRequest.from(request)
				.header(this.policy.headerName(), ClientRetryPolicy.headerValue(key))
				.build();
			return attempt(keyed, next, 1);
		});
	}

	private Mono<ClientResponse> attempt(ClientRequest request, ExchangeFunction next, int attempt) {
		int maxAttempts = request.attribute(NOT_REPEATABLE).isPresent() ? 1 : this.policy.maxAttempts();
		return next.exchange(request).flatMap((response) -> {
			int status = response.statusCode().value();
			String retryAfter = response.headers().asHttpHeaders().getFirst("Retry-After");
			if (!ClientRetryPolicy.isRetryable(status, retryAfter)) {
				this.outcomes.record(ClientOutcomes.Outcome.of(request.method(),
						response.headers().asHttpHeaders().getFirst("Idempotent-Replayed"), attempt));
				return Mono.just(response);
			}
			if (attempt >= maxAttempts) {
				this.outcomes.record(new ClientOutcomes.Outcome(request.method(), "failed", attempt));
				return Mono.just(response);
			}
			return response.releaseBody().then(retry(request, next, attempt, retryAfter));
		}).onErrorResume(IdempotencyExchangeFilterFunction::isConnectionFailure, (failure) -> {
			if (attempt >= maxAttempts) {
				this.outcomes.record(new ClientOutcomes.Outcome(request.method(), "failed", attempt));
				return Mono.error(failure);
			}
			return retry(request, next, attempt, null);
		});
	}

	private Mono<ClientResponse> retry(ClientRequest request, ExchangeFunction next, int attempt,
			@Nullable String retryAfter) {
		Duration pause = this.policy.pauseAfter(attempt, retryAfter);
		return Mono.delay(pause).then(Mono.defer(() -> attempt(request, next, attempt + 1)));
	}

	/** No answer: the connection failed or was dropped, or the request timed out. */
	private static boolean isConnectionFailure(Throwable failure) {
		return failure instanceof WebClientRequestException || failure instanceof IOException
				|| failure instanceof java.util.concurrent.TimeoutException;
	}

}
