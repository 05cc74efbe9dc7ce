package io.github.idempotency.internal.claim;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoreFailureMode;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim sequence without a door: owner tokens, on which every compare-and-set of a
 * store depends, are never shared by two claims, and have one fixed width (two random
 * longs written without their leading zeros could spell the same token).
 */
class ClaimSequenceTests {

	@Test
	void everyClaimHasAnOwnerTokenOfItsOwn() {
		Set<String> owners = new HashSet<>();
		ClaimSequence claims = new ClaimSequence(new RecordingOwners(new InMemoryIdempotencyStore(200_000), owners),
				IdempotencyObserver.NONE, StoreFailureMode.FAIL_CLOSED, ObservationRegistry.NOOP);
		for (int i = 0; i < 100_000; i++) {
			assertThat(claims.claim("T#m", "k" + i, "fp", Duration.ofMinutes(1))).isInstanceOf(Decision.Run.class);
		}
		assertThat(owners).hasSize(100_000).allSatisfy((owner) -> assertThat(owner).matches("[0-9a-f]{32}"));
	}

	/** A store that remembers the owner of every claim. */
	private record RecordingOwners(IdempotencyStore store, Set<String> owners) implements IdempotencyStore {

		@Override
		public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
			this.owners.add(owner);
			return this.store.claim(key, owner, fingerprint, lockTimeout);
		}

		@Override
		public boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
			return this.store.complete(key, owner, response, ttl);
		}

		@Override
		public boolean release(String key, String owner) {
			return this.store.release(key, owner);
		}

	}

}
