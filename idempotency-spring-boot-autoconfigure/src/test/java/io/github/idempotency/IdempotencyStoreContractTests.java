package io.github.idempotency;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The behaviour every {@link IdempotencyStore} must have. Each backend runs it by
 * extending this class and returning its store from {@link #store()}; the built-in stores
 * do.
 *
 * <p>
 * Published for people who write their own store: depend on
 * {@code io.github.idempotency:idempotency-spring-boot-autoconfigure} with
 * {@code <type>test-jar</type>} and {@code <scope>test</scope>} (it needs JUnit Jupiter,
 * AssertJ and Awaitility on the test class path) and extend this class. The tests use
 * keys from {@link #newKey()}, expect claims to expire after {@link #SHORT} within ten
 * seconds, and run 32 concurrent claims. A store that cannot renew claims, or cannot be
 * inspected and evicted by an operator, keeps the default methods of
 * {@link IdempotencyStore}, which throw {@link UnsupportedOperationException}, and
 * answers {@code false} from {@link #renewsClaims()} or {@link #servesOperators()}: the
 * tests then check that it says so.
 */
public abstract class IdempotencyStoreContractTests {

	protected static final Duration LONG = Duration.ofMinutes(5);

	protected static final Duration SHORT = Duration.ofMillis(300);

	protected abstract IdempotencyStore store();

	/**
	 * Whether the store renews claims ({@link IdempotencyStore#renew}).
	 * @return {@code true} unless overridden
	 */
	protected boolean renewsClaims() {
		return true;
	}

	/**
	 * Whether the store can be inspected and evicted by an operator
	 * ({@link IdempotencyStore#inspect}, {@link IdempotencyStore#evict}).
	 * @return {@code true} unless overridden
	 */
	protected boolean servesOperators() {
		return true;
	}

	protected String newKey() {
		return "idempotency-test:" + UUID.randomUUID();
	}

	protected static StoredResponse response(int status, String body) {
		return new StoredResponse(status, List.of(Map.entry("Content-Type", "application/json"),
				Map.entry("Location", "/orders/1"), Map.entry("X-Multi", "a"), Map.entry("X-Multi", "b")),
				body.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A claim found another request in flight: its fingerprint, and how long its claim
	 * still lives when the store tells ({@code null} is allowed: not every store knows).
	 * @param result what a claim returned
	 * @param fingerprint the fingerprint of the request in flight
	 */
	protected static void assertInFlight(ClaimResult result, String fingerprint) {
		assertThat(result).isInstanceOfSatisfying(ClaimResult.InFlight.class, (inFlight) -> {
			assertThat(inFlight.fingerprint()).isEqualTo(fingerprint);
			if (inFlight.expiresIn() != null) {
				assertThat(inFlight.expiresIn()).isPositive().isLessThanOrEqualTo(LONG);
			}
		});
	}

	/**
	 * Claims of a free key are reported by type, so a store may return its own
	 * {@link ClaimResult.Claimed} instance.
	 * @param result what a claim returned
	 * @return whether it claimed the key
	 */
	protected static boolean claimed(ClaimResult result) {
		return result instanceof ClaimResult.Claimed;
	}

	@Test
	void claimsAFreeKey() {
		assertThat(store().claim(newKey(), "owner-1", "fp", LONG)).isInstanceOf(ClaimResult.Claimed.class);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("bodies")
	void responseOfAnySizeAndContentIsReplayedByteIdentical(String description, byte[] body) {
		String key = newKey();
		String fingerprint = "3f2a9c0d5e6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3";
		store().claim(key, "9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e", fingerprint, LONG);
		StoredResponse stored = new StoredResponse(201,
				List.of(Map.entry("Content-Type", "application/json"), Map.entry("Location", "/payments/pay_1")), body);
		assertThat(store().complete(key, "9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e", stored, LONG)).isTrue();
		ClaimResult result = store().claim(key, "owner-2", fingerprint, LONG);
		assertThat(result).isInstanceOf(ClaimResult.Completed.class);
		ClaimResult.Completed completed = (ClaimResult.Completed) result;
		assertThat(completed.fingerprint()).isEqualTo(fingerprint);
		assertThat(completed.response().status()).isEqualTo(201);
		assertThat(completed.response().headers()).containsExactlyElementsOf(stored.headers());
		assertThat(completed.response().body()).isEqualTo(body);
	}

	static Stream<Arguments> bodies() {
		Random random = new Random(12);
		byte[] binary = new byte[1024 * 1024];
		random.nextBytes(binary);
		return Stream.of(Arguments.of("0 B", new byte[0]), Arguments.of("1 B", new byte[] { '7' }),
				Arguments.of("1 binary byte", new byte[] { (byte) 0x80 }), Arguments.of("511 B JSON", json(511)),
				Arguments.of("512 B JSON", json(512)), Arguments.of("513 B JSON", json(513)),
				Arguments.of("1023 B JSON", json(1023)), Arguments.of("1024 B JSON", json(1024)),
				Arguments.of("1025 B JSON", json(1025)), Arguments.of("4 KB JSON", json(4096)),
				Arguments.of("8 KB of one byte", new byte[8192]), Arguments.of("1 MB JSON", json(1024 * 1024)),
				Arguments.of("1 MB random binary", binary));
	}

	/** A JSON array of payments, exactly {@code length} bytes long. */
	protected static byte[] json(int length) {
		StringBuilder json = new StringBuilder("[");
		for (int i = 1; json.length() < length; i++) {
			json.append("{\"id\":\"pay_")
				.append(i)
				.append("\",\"amount\":")
				.append(1000 + i * 7 % 500)
				.append(",\"currency\":\"EUR\",\"status\":\"CREATED\"},");
		}
		json.setLength(length - 1);
		return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void secondClaimSeesTheFirstInFlightWithItsFingerprint() {
		String key = newKey();
		store().claim(key, "owner-1", "fp-1", LONG);
		assertInFlight(store().claim(key, "owner-2", "fp-2", LONG), "fp-1");
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
		assertThat(store().claim(key, "owner-2", "fp", LONG)).isInstanceOf(ClaimResult.Claimed.class);
	}

	@Test
	void onlyTheOwnerCanCompleteOrRelease() {
		String key = newKey();
		store().claim(key, "owner-1", "fp", LONG);
		assertThat(store().complete(key, "intruder", response(200, "{}"), LONG)).isFalse();
		assertThat(store().release(key, "intruder")).isFalse();
		assertInFlight(store().claim(key, "owner-2", "fp", LONG), "fp");
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
		await().atMost(Duration.ofSeconds(10)).until(() -> claimed(store().claim(key, "owner-2", "fp", LONG)));
	}

	@Test
	void expiredClaimThatWasTakenOverCanNeitherCompleteNorRelease() {
		String key = newKey();
		store().claim(key, "owner-1", "fp", SHORT);
		await().atMost(Duration.ofSeconds(10)).until(() -> claimed(store().claim(key, "owner-2", "fp", LONG)));
		assertThat(store().complete(key, "owner-1", response(201, "late"), LONG)).isFalse();
		assertThat(store().release(key, "owner-1")).isFalse();
		assertInFlight(store().claim(key, "owner-3", "fp", LONG), "fp");
		assertThat(store().complete(key, "owner-2", response(201, "newer"), LONG)).isTrue();
	}

	@Test
	void expiredClaimThatNobodyTookOverCannotCompleteEither() {
		String key = newKey();
		String witness = newKey();
		store().claim(key, "owner-1", "fp", SHORT);
		store().claim(witness, "witness", "fp", SHORT);
		await().atMost(Duration.ofSeconds(10)).until(() -> claimed(store().claim(witness, "probe", "fp", LONG)));
		assertThat(store().complete(key, "owner-1", response(201, "late"), LONG)).isFalse();
		assertThat(store().claim(key, "owner-2", "fp", LONG)).isInstanceOf(ClaimResult.Claimed.class);
	}

	@Test
	void completedResponseExpiresAfterItsTtl() {
		String key = newKey();
		store().claim(key, "owner-1", "fp", LONG);
		store().complete(key, "owner-1", response(201, "{}"), SHORT);
		await().atMost(Duration.ofSeconds(10)).until(() -> claimed(store().claim(key, "owner-2", "fp", LONG)));
	}

	@Test
	void aRenewedClaimOutlivesItsFirstLockTimeout() throws Exception {
		String key = newKey();
		assertThat(claimed(store().claim(key, "owner-1", "fp", SHORT))).isTrue();
		if (!renewsClaims()) {
			assertRenewalUnsupported();
			return;
		}
		assertThat(store().renew(key, "owner-1", LONG)).isTrue();
		await().during(SHORT.multipliedBy(3))
			.atMost(SHORT.multipliedBy(6))
			.until(() -> store().claim(key, "owner-2", "fp", LONG) instanceof ClaimResult.InFlight);
		assertThat(store().renewAsync(key, "owner-1", LONG).toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(store().complete(key, "owner-1", response(201, "{}"), LONG)).isTrue();
	}

	@Test
	void onlyTheOwnerRenewsAnUnfinishedClaim() {
		if (!renewsClaims()) {
			assertRenewalUnsupported();
			return;
		}
		String key = newKey();
		store().claim(key, "owner-1", "fp", LONG);
		assertThat(store().renew(key, "owner-2", LONG)).isFalse();
		assertThat(store().renew(newKey(), "owner-1", LONG)).as("no claim under the key").isFalse();
		store().complete(key, "owner-1", response(201, "{}"), LONG);
		assertThat(store().renew(key, "owner-1", LONG)).as("a finished record is no claim").isFalse();
		assertThat(store().claim(key, "owner-3", "fp", LONG)).isInstanceOf(ClaimResult.Completed.class);
	}

	@Test
	void anExpiredClaimTakenOverIsNotRenewed() {
		if (!renewsClaims()) {
			assertRenewalUnsupported();
			return;
		}
		String key = newKey();
		store().claim(key, "owner-1", "fp", SHORT);
		await().atMost(Duration.ofSeconds(10)).until(() -> claimed(store().claim(key, "owner-2", "fp", LONG)));
		assertThat(store().renew(key, "owner-1", LONG)).isFalse();
		assertThat(store().complete(key, "owner-2", response(201, "{}"), LONG)).isTrue();
	}

	@Test
	void inspectionShowsWhatTheKeyHoldsAndEvictionFreesIt() {
		String key = newKey();
		if (!servesOperators()) {
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> store().inspect(key));
			assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> store().evict(key));
			return;
		}
		assertThat(store().inspect(key)).as("nothing under a new key").isNull();
		assertThat(store().evict(key)).isFalse();
		store().claim(key, "owner-1", "fp", LONG);
		RecordInspection inFlight = store().inspect(key);
		assertThat(inFlight).isNotNull();
		assertThat(inFlight.record()).isInstanceOf(ClaimResult.InFlight.class);
		if (inFlight.expiresIn() != null) {
			assertThat(inFlight.expiresIn()).isPositive().isLessThanOrEqualTo(LONG);
		}
		store().complete(key, "owner-1", response(201, "{\"id\":1}"), Duration.ofHours(1));
		RecordInspection completed = store().inspect(key);
		assertThat(completed).isNotNull();
		assertThat(completed.record()).isInstanceOfSatisfying(ClaimResult.Completed.class, (record) -> {
			assertThat(record.response().status()).isEqualTo(201);
			assertThat(record.response().body()).hasSize(8);
		});
		if (completed.expiresIn() != null) {
			assertThat(completed.expiresIn()).isGreaterThan(LONG).isLessThanOrEqualTo(Duration.ofHours(1));
		}
		assertThat(store().evict(key)).isTrue();
		assertThat(store().inspect(key)).isNull();
		assertThat(claimed(store().claim(key, "owner-2", "fp", LONG))).as("the next claim runs").isTrue();
	}

	private void assertRenewalUnsupported() {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> store().renew(newKey(), "owner", LONG));
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
				if (claimed(result)) {
					claimed++;
				}
				else {
					assertInFlight(result, "fp");
				}
			}
			assertThat(claimed).isEqualTo(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void asynchronousCallsAgreeWithTheBlockingOnes() throws Exception {
		String key = newKey();
		IdempotencyStore store = store();
		assertThat(
				claimed(store.claimAsync(key, "owner-a", "fp", LONG).toCompletableFuture().get(10, TimeUnit.SECONDS)))
			.isTrue();
		assertInFlight(store.claim(key, "owner-b", "fp", LONG), "fp");
		assertThat(store.completeAsync(key, "owner-b", response(201, "{}"), LONG)
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS)).isFalse();
		assertThat(store.completeAsync(key, "owner-a", response(201, "{\"id\":1}"), LONG)
			.toCompletableFuture()
			.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(store.claimAsync(key, "owner-c", "fp", LONG).toCompletableFuture().get(10, TimeUnit.SECONDS))
			.isInstanceOfSatisfying(ClaimResult.Completed.class, (completed) -> {
				assertThat(completed.fingerprint()).isEqualTo("fp");
				assertThat(completed.response().body()).asString(StandardCharsets.UTF_8).isEqualTo("{\"id\":1}");
			});
		String released = newKey();
		store.claim(released, "owner-a", "fp", LONG);
		assertThat(store.releaseAsync(released, "owner-b").toCompletableFuture().get(10, TimeUnit.SECONDS)).isFalse();
		assertThat(store.releaseAsync(released, "owner-a").toCompletableFuture().get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(claimed(store.claim(released, "owner-d", "fp", LONG))).isTrue();
	}

}
