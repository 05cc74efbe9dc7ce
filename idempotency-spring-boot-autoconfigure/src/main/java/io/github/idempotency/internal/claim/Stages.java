package io.github.idempotency.internal.claim;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.idempotency.internal.observation.ObservedIdempotencyStore;

/**
 * The asynchronous store calls of the claim engine: a call that throws instead of
 * returning a failed stage fails the stage all the same, and a stage's failure is read
 * without the wrapper dependent stages add.
 */
final class Stages {

	private Stages() {
	}

	static <T> CompletionStage<T> call(Supplier<CompletionStage<T>> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	static Throwable unwrap(Throwable failure) {
		return ObservedIdempotencyStore.unwrap(failure);
	}

}
