package io.github.idempotency.internal.reactive;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.idempotency.ResponseStoragePolicy;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.claim.Claim;
import io.github.idempotency.internal.http.IdempotentHandler;
import io.github.idempotency.internal.http.ResponseRecords;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * The step once a reactive response is final and before it is sent: stores it, or gives
 * the key back — released when the method ran but its response is not stored (a status
 * the policy does not store, a body over {@code max-body-size}, a streamed body),
 * withdrawn when WebFlux answered before the method ran (an unreadable or invalid body),
 * so a corrected retry runs. The store calls never block; the response is sent once the
 * store answered, so a client that retries right after the answer finds it stored.
 */
public final class ReactiveSettler {

	private static final Log logger = LogFactory.getLog(ReactiveSettler.class);

	private final ResponseStoragePolicy storagePolicy;

	private final long maxBodyBytes;

	/**
	 * Creates the settling step.
	 * @param storagePolicy which responses are stored
	 * @param maxBodySize the largest response body that is stored
	 */
	public ReactiveSettler(ResponseStoragePolicy storagePolicy, DataSize maxBodySize) {
		Assert.notNull(storagePolicy, "storagePolicy must not be null");
		Assert.isTrue(maxBodySize != null && maxBodySize.toBytes() > 0, "maxBodySize must be positive");
		this.storagePolicy = storagePolicy;
		this.maxBodyBytes = maxBodySize.toBytes();
	}

	/** The response's headers now, by case-insensitive name. */
	static Map<String, List<String>> headers(HttpHeaders headers) {
		if (headers.isEmpty()) {
			return Map.of();
		}
		Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.forEach((name, values) -> copy.putIfAbsent(name, List.copyOf(values)));
		return copy;
	}

	/**
	 * Settles a claim with the final response.
	 * @param held the claim
	 * @param calls how store calls are made
	 * @param status the response status
	 * @param headers the response headers
	 * @param body the body, or {@code null} when it was streamed
	 * @return completes once the store answered; never fails
	 */
	Mono<Void> settle(ReactiveClaim held, ReactiveStoreCalls calls, int status, HttpHeaders headers,
			byte @Nullable [] body) {
		Claim claim = held.claim();
		IdempotentHandler method = held.method();
		if (!held.isReached()) {
			return settle(held, calls,
					() -> claim.withdrawAsync("WebFlux answered " + status + " before the method ran"));
		}
		if (body == null) {
			return settle(held, calls, () -> claim.releaseAsync("the response is streamed"));
		}
		if (!this.storagePolicy.isStorable(status)) {
			return settle(held, calls, () -> claim.releaseAsync("status " + status + " is not stored"));
		}
		if (body.length > this.maxBodyBytes) {
			logger.warn("Response of " + method.endpoint() + " (" + body.length
					+ " bytes) exceeds idempotency.max-body-size; it is not stored and a retry runs again");
			return settle(held, calls, () -> claim.releaseAsync("the response is too large to store"));
		}
		StoredResponse response = ResponseRecords.toStoredResponse(status, headers.getFirst(HttpHeaders.CONTENT_TYPE),
				headers::forEach, held.headersBefore(), body);
		return settle(held, calls, () -> claim.completeAsync(response, method.ttl()));
	}

	/**
	 * Gives the key of a claim back when its response was never sent: the exchange failed
	 * or was cancelled.
	 * @param held the claim
	 * @param calls how store calls are made
	 * @param reason why, for the log
	 * @return completes once the store answered; never fails
	 */
	Mono<Void> abandon(ReactiveClaim held, ReactiveStoreCalls calls, String reason) {
		Claim claim = held.claim();
		return settle(held, calls, held.isReached() ? () -> claim.releaseAsync(reason)
				: () -> claim.withdrawAsync(reason + " before the method ran"));
	}

	/**
	 * Makes one settling store call within the call's observation, so its outcome and
	 * store call are the observation's, and ends the observation once the store answered.
	 */
	private static Mono<Void> settle(ReactiveClaim held, ReactiveStoreCalls calls,
			Supplier<CompletionStage<Void>> call) {
		Observation observation = held.observation();
		return calls.<Void>call(() -> {
			try (Observation.Scope scope = observation.openScope()) {
				return call.get();
			}
		}).doFinally((signal) -> observation.stop());
	}

}
