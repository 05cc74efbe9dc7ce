package io.github.idempotency.internal.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreContractTests;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.record.RecordCodec;
import io.github.idempotency.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.RedisStringCommands;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisIdempotencyStoreTests extends IdempotencyStoreContractTests {

	private static LettuceConnectionFactory connectionFactory;

	private static RedisIdempotencyStore store;

	private static StringRedisTemplate redis;

	private static final String OWNER = "9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e";

	private static final String FINGERPRINT = "3f2a9c0d5e6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3";

	@BeforeAll
	static void connect() {
		TestRedis testRedis = TestRedis.shared();
		connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(testRedis.host(), testRedis.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		store = new RedisIdempotencyStore(connectionFactory, Duration.ofSeconds(2));
		redis = new StringRedisTemplate(connectionFactory);
	}

	@AfterAll
	static void disconnect() {
		connectionFactory.destroy();
	}

	@Override
	protected IdempotencyStore store() {
		return store;
	}

	@Test
	void everyRecordHasATtlWhileInFlightAndOnceCompleted() {
		String key = newKey();
		store.claim(key, "owner-1", "fp", Duration.ofSeconds(30));
		assertThat(redis.getExpire(key)).isBetween(1L, 30L);
		store.complete(key, "owner-1", response(201, "{}"), Duration.ofHours(24));
		assertThat(redis.getExpire(key)).isBetween(Duration.ofHours(23).toSeconds(), Duration.ofHours(24).toSeconds());
	}

	@Test
	void aClaimInFlightTellsHowLongItStillLives() {
		assertTellsHowLongAClaimStillLives(store);
	}

	static void assertTellsHowLongAClaimStillLives(IdempotencyStore store) {
		String key = "idempotency-test:" + UUID.randomUUID();
		store.claim(key, OWNER, FINGERPRINT, Duration.ofSeconds(30));
		assertThat(store.claim(key, "other", FINGERPRINT, LONG)).isInstanceOfSatisfying(ClaimResult.InFlight.class,
				(inFlight) -> assertThat(inFlight.expiresIn()).isBetween(Duration.ofSeconds(20),
						Duration.ofSeconds(30)));
	}

	@Test
	void recordIsOneCompactStringWithTheFormatVersionFirst() {
		String key = newKey();
		store.claim(key, OWNER, FINGERPRINT, LONG);
		assertThat(redis.type(key).code()).isEqualTo("string");
		byte[] inFlight = value(key);
		assertThat(inFlight[0]).isEqualTo((byte) RecordCodec.VERSION);
		assertThat(inFlight).hasSize(4 + 33 + 17);
		store.complete(key, OWNER, response(201, "{\"id\":1}"), LONG);
		assertThat(redis.type(key).code()).isEqualTo("string");
		// Content-Type, application/json and Location are one byte each (common texts)
		assertThat(value(key))
			.hasSize(4 + 33 + 2 + 1 + 1 + 1 + 1 + 1 + 9 + 1 + 7 + 1 + 1 + 1 + 7 + 1 + 1 + "{\"id\":1}".length());
	}

	@Test
	void bodyOverTheThresholdIsStoredDeflatedAndOneThatDoesNotShrinkAsItIs() {
		String compressible = newKey();
		claimAndComplete(compressible, json(4096));
		assertThat(value(compressible).length).isLessThan(1024);
		assertThat(value(compressible)[1]).isEqualTo((byte) (RecordCodec.FINISHED | RecordCodec.DEFLATED));
		byte[] random = new byte[4096];
		new Random(3).nextBytes(random);
		String incompressible = newKey();
		claimAndComplete(incompressible, random);
		assertThat(value(incompressible).length).isGreaterThan(4096);
		assertThat(value(incompressible)[1]).isEqualTo((byte) RecordCodec.FINISHED);
	}

	@Test
	void foreignValueUnderAKeyIsAnUnreadableRecordNotACrash() {
		String key = newKey();
		redis.opsForValue().set(key, "something else", Duration.ofMinutes(1));
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> store.claim(key, "owner-1", "fp", LONG));
		assertThat(redis.opsForValue().get(key)).isEqualTo("something else");
	}

	@Test
	void recordWithAnUnknownVersionByteIsUnreadableAndLeftAlone() {
		String key = newKey();
		byte[] record = claimAndComplete(key, json(100));
		record[0] = (byte) (RecordCodec.VERSION + 1);
		setValue(key, record);
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> store.claim(key, OWNER, FINGERPRINT, LONG))
			.withMessageContaining("version");
		assertThat(store.complete(key, OWNER, response(201, "{}"), LONG)).isFalse();
		assertThat(store.release(key, OWNER)).isFalse();
		assertThat(value(key)).isEqualTo(record);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(ints = { 0, 1, 2, 3, 20, 60, 80, 4090 })
	void truncatedRecordIsUnreadable(int length) {
		String key = newKey();
		byte[] record = claimAndComplete(key, json(4096));
		byte[] truncated = Arrays.copyOf(record, Math.min(length, record.length - 1));
		setValue(key, truncated);
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> store.claim(key, OWNER, FINGERPRINT, LONG));
	}

	@Test
	void recordOfTheOldHashLayoutIsUnreadable() {
		String key = newKey();
		redis.opsForHash()
			.putAll(key, Map.of("owner", "someone", "fingerprint", FINGERPRINT, "status", "201", "headers",
					"\u0001\u0000\u0000", "body", "{}"));
		redis.expire(key, Duration.ofMinutes(1));
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> store.claim(key, OWNER, FINGERPRINT, LONG))
			.withMessageContaining("another type");
		assertThat(redis.type(key).code()).isEqualTo("hash");
	}

	private static byte[] claimAndComplete(String key, byte[] body) {
		store.claim(key, OWNER, FINGERPRINT, LONG);
		assertThat(store.complete(key, OWNER, new StoredResponse(201, List.of(), body), LONG)).isTrue();
		return value(key);
	}

	private static byte[] value(String key) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			return connection.stringCommands().get(key.getBytes(StandardCharsets.UTF_8));
		}
	}

	private static void setValue(String key, byte[] value) {
		try (RedisConnection connection = connectionFactory.getConnection()) {
			connection.stringCommands()
				.set(key.getBytes(StandardCharsets.UTF_8), value, Expiration.seconds(60),
						RedisStringCommands.SetOption.upsert());
		}
	}

	@Test
	void aStoreFollowsItsConnectionFactoryToANewSharedConnection() {
		TestRedis testRedis = TestRedis.shared();
		LettuceConnectionFactory own = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(testRedis.host(), testRedis.port()));
		own.afterPropertiesSet();
		own.start();
		try {
			RedisIdempotencyStore ownStore = setNxGetStore(own);
			assertThat(ownStore.claim(newKey(), OWNER, FINGERPRINT, LONG)).isInstanceOf(ClaimResult.Claimed.class);
			own.resetConnection();
			String key = newKey();
			assertThat(ownStore.claim(key, OWNER, FINGERPRINT, LONG)).isInstanceOf(ClaimResult.Claimed.class);
			assertThat(ownStore.complete(key, OWNER, response(201, "{}"), LONG)).isTrue();
		}
		finally {
			own.destroy();
		}
	}

	@Test
	void theDigestsSentWithEvalshaAreTheOnesRedisComputes() {
		for (RecordScript script : RedisRecordScripts.ALL) {
			assertThat(redis.execute(
					(RedisCallback<String>) (connection) -> connection.scriptingCommands().scriptLoad(script.bytes())))
				.isEqualTo(script.sha1());
		}
	}

	@Test
	void recordOfAFinishedRequestKeepsItsFingerprintForMismatchDetection() {
		String key = newKey();
		store.claim(key, "owner-1", "fp-1", LONG);
		store.complete(key, "owner-1", response(200, "{}"), LONG);
		ClaimResult result = store.claim(key, "owner-2", "fp-2", LONG);
		assertThat(result).isInstanceOfSatisfying(ClaimResult.Completed.class,
				(completed) -> assertThat(completed.fingerprint()).isEqualTo("fp-1"));
	}

	/**
	 * The contract on a Jedis connection factory, sharing the same Redis: the same
	 * scripts and records, so either client reads what the other wrote.
	 */
	@Nested
	class OnJedis extends JedisStoreContract {

		@Override
		JedisFixture connect() {
			TestRedis testRedis = TestRedis.shared();
			return JedisFixture.standalone(testRedis.host(), testRedis.port());
		}

		@Test
		void aRecordClaimedThroughLettuceIsCompletedThroughJedisAndReplayedThroughLettuce() {
			String key = newKey();
			assertThat(store.claim(key, OWNER, FINGERPRINT, LONG)).isInstanceOf(ClaimResult.Claimed.class);
			assertThat(jedis().store().claim(key, "other", FINGERPRINT, LONG)).isInstanceOf(ClaimResult.InFlight.class);
			assertThat(jedis().store().complete(key, OWNER, response(201, "{\"id\":1}"), LONG)).isTrue();
			assertThat(store.claim(key, "other", FINGERPRINT, LONG)).isInstanceOfSatisfying(ClaimResult.Completed.class,
					(completed) -> assertThat(completed.response().body()).asString().isEqualTo("{\"id\":1}"));
		}

		@Test
		void aClaimInFlightTellsHowLongItStillLives() {
			assertTellsHowLongAClaimStillLives(jedis().store());
		}

		@Test
		void aKeyOfAnotherTypeIsAnUnreadableRecord() {
			String key = newKey();
			redis.opsForHash().put(key, "owner", "someone");
			redis.expire(key, Duration.ofMinutes(1));
			assertThatExceptionOfType(IdempotencyRecordException.class)
				.isThrownBy(() -> jedis().store().claim(key, OWNER, FINGERPRINT, LONG))
				.withMessageContaining("another type");
			assertThat(redis.type(key).code()).isEqualTo("hash");
		}

	}

	/**
	 * The contract when keys are claimed with the plain {@code SET … NX GET PX} (Redis 7
	 * and newer), on the same Redis as the script: either claim sees what the other
	 * wrote.
	 */
	@Nested
	class ClaimingWithSetNxGet extends IdempotencyStoreContractTests {

		private final RedisIdempotencyStore setStore = setNxGetStore(connectionFactory);

		@Override
		protected IdempotencyStore store() {
			return this.setStore;
		}

		@Test
		void aClaimInFlightFoundBySetDoesNotTellHowLongItLives() {
			String key = newKey();
			assertThat(this.setStore.claim(key, OWNER, FINGERPRINT, LONG)).isInstanceOf(ClaimResult.Claimed.class);
			assertThat(this.setStore.claim(key, "other", FINGERPRINT, LONG)).isInstanceOfSatisfying(
					ClaimResult.InFlight.class, (inFlight) -> assertThat(inFlight.expiresIn()).isNull());
			assertThat(redis.getExpire(key)).isBetween(LONG.toSeconds() - 5, LONG.toSeconds());
		}

		@Test
		void claimsBySetAndByScriptSeeEachOther() {
			String bySet = newKey();
			assertThat(this.setStore.claim(bySet, OWNER, FINGERPRINT, LONG)).isInstanceOf(ClaimResult.Claimed.class);
			assertInFlight(store.claim(bySet, "other", FINGERPRINT, LONG), FINGERPRINT);
			String byScript = newKey();
			assertThat(store.claim(byScript, OWNER, FINGERPRINT, LONG)).isInstanceOf(ClaimResult.Claimed.class);
			assertInFlight(this.setStore.claim(byScript, "other", FINGERPRINT, LONG), FINGERPRINT);
			assertThat(store.complete(bySet, OWNER, response(201, "{}"), LONG)).isTrue();
			assertThat(this.setStore.claim(bySet, "other", FINGERPRINT, LONG))
				.isInstanceOf(ClaimResult.Completed.class);
		}

		@Test
		void aForeignValueOrAKeyOfAnotherTypeIsUnreadableAndLeftAlone() {
			String foreign = newKey();
			redis.opsForValue().set(foreign, "something else", Duration.ofMinutes(1));
			assertThatExceptionOfType(IdempotencyRecordException.class)
				.isThrownBy(() -> this.setStore.claim(foreign, OWNER, FINGERPRINT, LONG));
			assertThat(redis.opsForValue().get(foreign)).isEqualTo("something else");
			String hash = newKey();
			redis.opsForHash().put(hash, "owner", "someone");
			redis.expire(hash, Duration.ofMinutes(1));
			assertThatExceptionOfType(IdempotencyRecordException.class)
				.isThrownBy(() -> this.setStore.claim(hash, OWNER, FINGERPRINT, LONG))
				.withMessageContaining("another type");
		}

		@Test
		void theConnectorChoosesSetNxGetOnceEveryNodeIsRedis7OrNewer() {
			assertThat(redis.execute((RedisCallback<String>) (
					connection) -> connection.serverCommands().info("server").getProperty("redis_version")))
				.as("the version of the test's redis-server")
				.matches("[7-9]\\..*|\\d\\d+\\..*");
			RedisIdempotencyStore fresh = new RedisIdempotencyStore(connectionFactory, Duration.ofSeconds(2));
			RedisStoreConnector connector = new RedisStoreConnector(connectionFactory, Duration.ofSeconds(2));
			IdempotencyStore guarded = connector.guard(fresh);
			assertThat(connector.connect()).isTrue();
			String key = newKey();
			guarded.claim(key, OWNER, FINGERPRINT, LONG);
			// Redis here is 7 or newer: the claim was a plain SET, which does not answer
			// the remaining time
			assertThat(guarded.claim(key, "other", FINGERPRINT, LONG)).isInstanceOfSatisfying(
					ClaimResult.InFlight.class, (inFlight) -> assertThat(inFlight.expiresIn()).isNull());
		}

	}

	/** The contract on Jedis, claiming with {@code SET … NX GET PX}. */
	@Nested
	class OnJedisClaimingWithSetNxGet extends JedisStoreContract {

		@Override
		JedisFixture connect() {
			TestRedis testRedis = TestRedis.shared();
			JedisFixture fixture = JedisFixture.standalone(testRedis.host(), testRedis.port());
			fixture.store().claimWithSetNxGet(true);
			return fixture;
		}

	}

	static RedisIdempotencyStore setNxGetStore(LettuceConnectionFactory connectionFactory) {
		RedisIdempotencyStore setStore = new RedisIdempotencyStore(connectionFactory, Duration.ofSeconds(2));
		setStore.claimWithSetNxGet(true);
		return setStore;
	}

}
