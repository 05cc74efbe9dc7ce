package io.github.idempotency.docs;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreContractTests;

// tag::store-contract[]
class MyStoreContractTests extends IdempotencyStoreContractTests {

	private final MyStore store = new MyStore();

	@Override
	protected IdempotencyStore store() {
		return this.store;
	}

}
// end::store-contract[]
