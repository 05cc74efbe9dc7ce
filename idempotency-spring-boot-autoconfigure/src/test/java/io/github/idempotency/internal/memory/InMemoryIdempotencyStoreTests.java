package io.github.idempotency.internal.memory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreContractTests;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.internal.record.RecordCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class InMemoryIdempotencyStoreTests extends IdempotencyStoreContractTests {

	private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();

	@Override
	protected IdempotencyStore store() {
		return this.store;
	}

	@Test
	void aFloodOfDistinctKeysIsBoundedAndRefusedOnceFull() {
		InMemoryIdempotencyStore bounded = new InMemoryIdempotencyStore(1_000);
		for (int i = 0; i < 1_000; i++) {
			bounded.claim("k" + i, "o", "fp", LONG);
		}
		assertThatExceptionOfType(IdempotencyStoreException.class)
			.isThrownBy(() -> bounded.claim("one-too-many", "o", "fp", LONG))
			.withMessageContaining("full");
		assertThat(bounded.size()).isEqualTo(1_000);
		assertInFlight(bounded.claim("k1", "o2", "fp", LONG), "fp");
	}

	@Test
	void aClaimInFlightTellsHowLongItStillLives() {
		AtomicLong now = new AtomicLong();
		InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(10,
				new RecordCodec(RecordCodec.DEFAULT_COMPRESSION_THRESHOLD), now::get);
		store.claim("k", "o", "fp", Duration.ofSeconds(30));
		now.addAndGet(Duration.ofSeconds(12).toNanos());
		assertThat(store.claim("k", "o2", "fp", LONG))
			.isEqualTo(new ClaimResult.InFlight("fp", Duration.ofSeconds(18)));
	}

	/**
	 * A claim that reads the clock, then loses the race to a claim that read it later,
	 * still reports no more than the lock timeout (once seen under load in the concurrent
	 * contract test).
	 */
	@Test
	void aClaimThatLostARaceNeverReportsMoreThanTheLockTimeout() {
		java.util.Deque<Long> readings = new java.util.ArrayDeque<>(java.util.List.of(10L, 0L, 10L));
		InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(10,
				new RecordCodec(RecordCodec.DEFAULT_COMPRESSION_THRESHOLD),
				() -> readings.isEmpty() ? 10L : readings.poll());
		store.claim("k", "winner", "fp", Duration.ofSeconds(30));
		assertThat(store.claim("k", "late", "fp", Duration.ofSeconds(30)))
			.isEqualTo(new ClaimResult.InFlight("fp", Duration.ofSeconds(30)));
	}

	@Test
	void expiredRecordsAreSweptWhenTheStoreIsFull() {
		AtomicLong now = new AtomicLong();
		InMemoryIdempotencyStore bounded = new InMemoryIdempotencyStore(10,
				new RecordCodec(RecordCodec.DEFAULT_COMPRESSION_THRESHOLD), now::get);
		for (int i = 0; i < 10; i++) {
			bounded.claim("k" + i, "o", "fp", Duration.ofSeconds(1));
		}
		now.addAndGet(Duration.ofSeconds(2).toNanos());
		assertThat(bounded.claim("fresh", "o", "fp", LONG)).isEqualTo(ClaimResult.CLAIMED);
		assertThat(bounded.size()).isEqualTo(1);
	}

}
