package io.github.idempotency.internal.method;

/**
 * The semantics of {@code @Idempotent(key = ...)} on the in-memory store.
 */
class InMemoryIdempotentMethodTests extends IdempotentMethodContract {

	@Override
	String[] storeProperties() {
		return new String[] { "idempotency.store=in-memory" };
	}

}
