package io.github.idempotency.internal.claim;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoreFailureMode;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore;
import io.github.idempotency.testsupport.ForwardingStore;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim sequence without a door: owner tokens, on which every compare-and-set of a
 * store depends, are never shared by two claims, and have one fixed width (two random
 * longs written without their leading zeros could spell the same token).
 */
@ExtendWith(OutputCaptureExtension.class)
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

	@Test
	void aKeyWhoseResponseWasLostIsWarnedAboutOnceAndCountedEveryTime(CapturedOutput output) {
		Map<IdempotencyObserver.Outcome, Integer> outcomes = new ConcurrentHashMap<>();
		IdempotencyObserver counting = new IdempotencyObserver() {
			@Override
			public void onOutcome(Outcome outcome, String endpoint) {
				outcomes.merge(outcome, 1, Integer::sum);
			}
		};
		ClaimSequence claims = new ClaimSequence(new ExecutedEverywhere(), counting, StoreFailureMode.FAIL_CLOSED,
				ObservationRegistry.NOOP);
		for (int i = 0; i < 5; i++) {
			assertThat(claims.claim("T#m", "lost-key", "fp", Duration.ofMinutes(1))).isInstanceOfSatisfying(
					Decision.Refused.class,
					(refused) -> assertThat(refused.reason()).isEqualTo(Decision.Reason.RESPONSE_LOST));
		}
		claims.claim("T#m", "other-key", "fp", Duration.ofMinutes(1));

		assertThat(outcomes).containsEntry(IdempotencyObserver.Outcome.RESPONSE_LOST, 6);
		assertThat(output.toString().split("Refused T#m for key lost-key", -1)).as("one WARN for the key").hasSize(2);
		assertThat(output).contains("Refused T#m for key other-key");
	}

	/** A store in which every key took effect and lost its response. */
	private static final class ExecutedEverywhere implements IdempotencyStore {

		@Override
		public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
			return new ClaimResult.Executed(fingerprint);
		}

		@Override
		public boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
			return false;
		}

		@Override
		public boolean release(String key, String owner) {
			return false;
		}

	}

	/** A store that remembers the owner of every claim. */
	private record RecordingOwners(IdempotencyStore delegate, Set<String> owners) implements ForwardingStore {

		@Override
		public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
			this.owners.add(owner);
			return this.delegate.claim(key, owner, fingerprint, lockTimeout);
		}

	}

}
