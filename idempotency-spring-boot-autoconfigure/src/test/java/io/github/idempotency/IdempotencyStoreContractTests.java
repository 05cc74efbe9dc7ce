package io.github.idempotency;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link IdempotencyStore} must have. Each backend runs it by extending
 * this class.
 */
public abstract class IdempotencyStoreContractTests {

	protected static final Duration LONG = Duration.ofMinutes(5);

	protected static final Duration SHORT = Duration.ofMillis(300);

	protected abstract IdempotencyStore store();

	protected String newKey() {
		return "idempotency-test:" + UUID.randomUUID();
	}

	protected static StoredResponse response(int status, String body) {
		return new StoredResponse(status,
				List.of(Map.entry("Content-Type", "application/json"), Map.entry("Location", "/orders/1"),
						Map.entry("X-Multi", "a"), Map.entry("X-Multi", "b")),
				body.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void claimsAFreeKey() {
		assertThat(store().claim(newKey(), "owner-1", "fp", LONG)).isEqualTo(ClaimResult.CLAIMED);
	}

	@Test
	void secondClaimSeesTheFirstInFlightWithItsFingerprint() {
		String key = newKey();
		store().claim(key, "owner-1", "fp-1", LONG);
		assertThat(store().claim(key, "owner-2", "fp-2", LONG)).isEqualTo(new ClaimResult.InFlight("fp-1"));
	}

	@Test
	void completedResponseIsReturnedWithStatusHeadersAndExactBytes() {
		String key = newKey();
		store().claim(key, "owner-1", "fp-1", LONG);
		byte[] body = { 0, 1, 2, (byte) 0xFF, '{', '}', '\n' };
		StoredResponse stored = new StoredResponse(201,
				List.of(Map.entry("Location", "/x"), Map.entry("X-Multi", "a"), Map.entry("X-Multi", "b\u00e9")), body);
		assertThat(store().complete(key, "owner-1", stored, LONG)).isTrue();
		ClaimResult result = store().claim(key, "owner-2", "fp-2", LONG);
		assertThat(result).isInstanceOf(ClaimResult.Completed.class);
		ClaimResult.Completed completed = (ClaimResult.Completed) result;
		assertThat(completed.fingerprint()).isEqualTo("fp-1");
		assertThat(completed.response().status()).isEqualTo(201);
		assertThat(completed.response().headers()).containsExactlyElementsOf(stored.headers());
		assertThat(completed.response().body()).isEqualTo(body);
	}

	@Test
	void emptyBodyRoundTrips() {
		String key = newKey();
		store().claim(key, "owner-1", "fp", LONG);
		store().complete(key, "owner-1", new StoredResponse(204, List.of(), new byte[0]), LONG);
		ClaimResult.Completed completed = (ClaimResult.Completed) store().claim(key, "owner-2", "fp", LONG);
		assertThat(completed.response().status()).isEqualTo(204);
		assertThat(completed.response().body()).isEmpty();
		assertThat(completed.response().headers()).isEmpty();
	}

	@Test
	void releaseFreesTheKeyForTheNextClaim() {
		String key = newKey();
		store().claim(key, "owner-1", "fp", LONG);
		assertThat(store().release(key, "owner-1")).isTrue();
		assertThat(store().claim(key, "owner-2", "fp", LONG)).isEqualTo(ClaimResult.CLAIMED);
	}

	@Test
	void onlyTheOwnerCanCompleteOrRelease() {
		String key = newKey();
		store().claim(key, "owner-1", "fp", LONG);
		assertThat(store().complete(key, "intruder", response(200, "{}"), LONG)).isFalse();
		assertThat(store().release(key, "intruder")).isFalse();
		assertThat(store().claim(key, "owner-2", "fp", LONG)).isEqualTo(new ClaimResult.InFlight("fp"));
	}

	@Test
	void completedRecordCannotBeReleasedOrCompletedAgain() {
		String key = newKey();
		store().claim(key, "owner-1", "fp", LONG);
		store().complete(key, "owner-1", response(201, "first"), LONG);
		assertThat(store().release(key, "owner-1")).isFalse();
		assertThat(store().complete(key, "owner-1", response(201, "second"), LONG)).isFalse();
		ClaimResult.Completed completed = (ClaimResult.Completed) store().claim(key, "owner-2", "fp", LONG);
		assertThat(new String(completed.response().body(), StandardCharsets.UTF_8)).isEqualTo("first");
	}

	@Test
	void claimExpiresAfterTheLockTimeout() {
		String key = newKey();
		store().claim(key, "owner-1", "fp", SHORT);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> store().claim(key, "owner-2", "fp", LONG) == ClaimResult.CLAIMED);
	}

	@Test
	void expiredClaimThatWasTakenOverCanNeitherCompleteNorRelease() {
		String key = newKey();
		store().claim(key, "owner-1", "fp", SHORT);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> store().claim(key, "owner-2", "fp", LONG) == ClaimResult.CLAIMED);
		assertThat(store().complete(key, "owner-1", response(201, "late"), LONG)).isFalse();
		assertThat(store().release(key, "owner-1")).isFalse();
		assertThat(store().claim(key, "owner-3", "fp", LONG)).isEqualTo(new ClaimResult.InFlight("fp"));
		assertThat(store().complete(key, "owner-2", response(201, "newer"), LONG)).isTrue();
	}

	@Test
	void expiredClaimThatNobodyTookOverCannotCompleteEither() {
		String key = newKey();
		String witness = newKey();
		store().claim(key, "owner-1", "fp", SHORT);
		store().claim(witness, "witness", "fp", SHORT);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> store().claim(witness, "probe", "fp", LONG) == ClaimResult.CLAIMED);
		assertThat(store().complete(key, "owner-1", response(201, "late"), LONG)).isFalse();
		assertThat(store().claim(key, "owner-2", "fp", LONG)).isEqualTo(ClaimResult.CLAIMED);
	}

	@Test
	void completedResponseExpiresAfterItsTtl() {
		String key = newKey();
		store().claim(key, "owner-1", "fp", LONG);
		store().complete(key, "owner-1", response(201, "{}"), SHORT);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> store().claim(key, "owner-2", "fp", LONG) == ClaimResult.CLAIMED);
	}

	@Test
	void exactlyOneOfManyConcurrentClaimsWins() throws Exception {
		String key = newKey();
		int threads = 32;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Callable<ClaimResult>> claims = new java.util.ArrayList<>();
			for (int i = 0; i < threads; i++) {
				String owner = "owner-" + i;
				claims.add(() -> {
					start.await();
					return store().claim(key, owner, "fp", LONG);
				});
			}
			List<Future<ClaimResult>> futures = claims.stream().map(executor::submit).toList();
			start.countDown();
			long claimed = 0;
			for (Future<ClaimResult> future : futures) {
				ClaimResult result = future.get();
				if (result == ClaimResult.CLAIMED) {
					claimed++;
				}
				else {
					assertThat(result).isEqualTo(new ClaimResult.InFlight("fp"));
				}
			}
			assertThat(claimed).isEqualTo(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

}
