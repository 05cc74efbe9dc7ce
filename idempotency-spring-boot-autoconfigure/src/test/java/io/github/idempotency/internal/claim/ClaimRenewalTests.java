package io.github.idempotency.internal.claim;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoreFailureMode;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore;
import io.github.idempotency.testsupport.ForwardingStore;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Renewals of running calls' claims, on a real in-memory store and real time: a claim
 * outlives its lock timeout while it is renewed, renewals stop once it is settled, a
 * renewal that finds the claim taken over marks it lost once, a store that cannot renew
 * is left alone, and the renewal limit lets a hung call's claim expire.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClaimRenewalTests {

	private static final Duration LOCK = Duration.ofMillis(300);

	private final Counting observer = new Counting();

	private ClaimSequence claims;

	@AfterEach
	void close() {
		if (this.claims != null) {
			this.claims.close();
		}
	}

	@Test
	void aRenewedClaimOutlivesManyLockTimeoutsAndRenewalsStopOnceSettled() {
		InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(100);
		this.claims = sequence(store, Duration.ofMinutes(1));
		Claim claim = run(this.claims.claim("T#m", "key", "fp", LOCK));

		await().during(LOCK.multipliedBy(5))
			.atMost(LOCK.multipliedBy(8))
			.until(() -> store.claim("key", "other", "fp", LOCK) instanceof ClaimResult.InFlight);
		assertThat(this.observer.count(IdempotencyObserver.Renewal.RENEWED)).isGreaterThanOrEqualTo(10);

		claim.complete(new StoredResponse(201, java.util.List.of(), new byte[0]), Duration.ofMinutes(1));
		int renewals = this.observer.count(IdempotencyObserver.Renewal.RENEWED);
		await("no renewal after settling (but one already under way)").during(LOCK.multipliedBy(2))
			.atMost(LOCK.multipliedBy(4))
			.until(() -> this.observer.count(IdempotencyObserver.Renewal.RENEWED) <= renewals + 1);
		assertThat(store.claim("key", "other", "fp", LOCK)).isInstanceOf(ClaimResult.Completed.class);
	}

	@Test
	void aRenewalThatFindsTheClaimTakenOverMarksItLostOnce(CapturedOutput output) {
		InMemoryIdempotencyStore memory = new InMemoryIdempotencyStore(100);
		Renewals refusing = new Renewals(memory, false);
		this.claims = sequence(refusing, Duration.ofMinutes(1));
		Claim claim = run(this.claims.claim("T#m", "key", "fp", LOCK));

		await().atMost(Duration.ofSeconds(5)).until(() -> this.observer.count(IdempotencyObserver.Renewal.LOST) == 1);
		claim.complete(new StoredResponse(201, java.util.List.of(), new byte[0]), Duration.ofMinutes(1));

		assertThat(refusing.calls.get()).as("no renewal after the claim was lost").isEqualTo(1);
		assertThat(this.observer.outcomes.getOrDefault(IdempotencyObserver.Outcome.LOST_CLAIM, 0)).isEqualTo(1);
		assertThat(output).contains("Lost claim: T#m lost its claim while running");
	}

	@Test
	void aStoreThatCannotRenewIsLeftAloneAndSaysSoOnce(CapturedOutput output) {
		InMemoryIdempotencyStore memory = new InMemoryIdempotencyStore(100);
		this.claims = sequence(new WithoutRenewals(memory), Duration.ofMinutes(1));
		run(this.claims.claim("T#m", "key-1", "fp", LOCK));
		run(this.claims.claim("T#m", "key-2", "fp", LOCK));

		await().atMost(Duration.ofSeconds(10)).until(() -> claimed(memory.claim("key-1", "other", "fp", LOCK)));
		assertThat(claimed(memory.claim("key-2", "other", "fp", LOCK))).as("its claim lived its lock timeout").isTrue();
		assertThat(output.toString().split("does not renew claims", -1)).hasSize(2);
		assertThat(this.observer.renewals).isEmpty();
	}

	@Test
	void theRenewalLimitLetsAHungCallsClaimExpire(CapturedOutput output) {
		InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(100);
		this.claims = sequence(store, LOCK.multipliedBy(2));
		run(this.claims.claim("T#m", "key", "fp", LOCK));

		await().atMost(Duration.ofSeconds(10)).until(() -> claimed(store.claim("key", "other", "fp", LOCK)));
		assertThat(this.observer.count(IdempotencyObserver.Renewal.RENEWED)).isPositive();
		assertThat(output).contains("Stopped renewing the claim of T#m");
	}

	@Test
	void renewalsAreOffWithALimitOfZero() {
		InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(100);
		this.claims = sequence(store, Duration.ZERO);
		run(this.claims.claim("T#m", "key", "fp", LOCK));

		await().atMost(Duration.ofSeconds(10)).until(() -> claimed(store.claim("key", "other", "fp", LOCK)));
		assertThat(this.observer.renewals).isEmpty();
	}

	private ClaimSequence sequence(IdempotencyStore store, Duration renewalLimit) {
		return new ClaimSequence(store, this.observer, StoreFailureMode.FAIL_CLOSED, ObservationRegistry.NOOP,
				renewalLimit);
	}

	private static Claim run(Decision decision) {
		assertThat(decision).isInstanceOf(Decision.Run.class);
		return ((Decision.Run) decision).claim();
	}

	private static boolean claimed(ClaimResult result) {
		return result instanceof ClaimResult.Claimed;
	}

	/** Counts renewals and outcomes. */
	static final class Counting implements IdempotencyObserver {

		final Map<Renewal, Integer> renewals = new ConcurrentHashMap<>();

		final Map<Outcome, Integer> outcomes = new ConcurrentHashMap<>();

		@Override
		public void onRenewal(Renewal renewal, String endpoint) {
			this.renewals.merge(renewal, 1, Integer::sum);
		}

		@Override
		public void onOutcome(Outcome outcome, String endpoint) {
			this.outcomes.merge(outcome, 1, Integer::sum);
		}

		int count(Renewal renewal) {
			return this.renewals.getOrDefault(renewal, 0);
		}

	}

	/** A store whose renewals answer as told, counting them. */
	static final class Renewals implements ForwardingStore {

		private final IdempotencyStore store;

		private final boolean answer;

		final AtomicInteger calls = new AtomicInteger();

		Renewals(IdempotencyStore store, boolean answer) {
			this.store = store;
			this.answer = answer;
		}

		@Override
		public IdempotencyStore delegate() {
			return this.store;
		}

		@Override
		public boolean renew(String key, String owner, Duration lockTimeout) {
			this.calls.incrementAndGet();
			return this.answer;
		}

	}

	/** A store of an application's own that keeps the SPI's default: it cannot renew. */
	record WithoutRenewals(IdempotencyStore delegate) implements ForwardingStore {
	}

}
