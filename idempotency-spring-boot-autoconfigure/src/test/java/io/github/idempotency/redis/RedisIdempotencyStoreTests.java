package io.github.idempotency.redis;

import java.time.Duration;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreContractTests;
import io.github.idempotency.testsupport.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisIdempotencyStoreTests extends IdempotencyStoreContractTests {

	private static LettuceConnectionFactory connectionFactory;

	private static RedisIdempotencyStore store;

	private static StringRedisTemplate redis;

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
	void recordIsOneHashWithReadableFields() {
		String key = newKey();
		store.claim(key, "owner-1", "fp-1", LONG);
		assertThat(redis.type(key).code()).isEqualTo("hash");
		assertThat(redis.opsForHash().entries(key)).containsOnlyKeys("owner", "fingerprint")
			.containsEntry("owner", "owner-1")
			.containsEntry("fingerprint", "fp-1");
		store.complete(key, "owner-1", response(201, "{\"id\":1}"), LONG);
		assertThat(redis.opsForHash().entries(key)).containsOnlyKeys("owner", "fingerprint", "status", "headers", "body")
			.containsEntry("status", "201")
			.containsEntry("body", "{\"id\":1}");
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
	void hashWithoutOurFieldsIsAnUnreadableRecord() {
		String key = newKey();
		redis.opsForHash().put(key, "owner", "someone");
		redis.expire(key, Duration.ofMinutes(1));
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> store.claim(key, "owner-1", "fp", LONG));
	}

	@Test
	void corruptedStoredHeadersAreAnUnreadableRecord() {
		String key = newKey();
		store.claim(key, "owner-1", "fp", LONG);
		store.complete(key, "owner-1", response(201, "{}"), LONG);
		redis.opsForHash().put(key, "headers", "garbage");
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> store.claim(key, "owner-2", "fp", LONG));
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

}
