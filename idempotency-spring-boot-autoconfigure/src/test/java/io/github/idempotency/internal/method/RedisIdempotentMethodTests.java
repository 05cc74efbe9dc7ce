package io.github.idempotency.internal.method;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.github.idempotency.testsupport.TestRedis;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The semantics of {@code @Idempotent(key = ...)} on a real Redis, with stored values
 * encrypted at rest (R39): every line of the contract holds through encryption.
 */
class RedisIdempotentMethodTests extends IdempotentMethodContract {

	@Override
	String[] storeProperties() {
		TestRedis redis = TestRedis.shared();
		return new String[] { "idempotency.store=redis", "spring.data.redis.host=" + redis.host(),
				"spring.data.redis.port=" + redis.port(), "idempotency.key-prefix=method-tests",
				"idempotency.encryption.current-key=method-1",
				"idempotency.encryption.keys.method-1=" + Base64.getEncoder().encodeToString(new byte[32]) };
	}

	@Test
	void storedValuesHoldNothingOfTheValueInClear() {
		PaymentEvent event = new PaymentEvent(newId(), 4999);
		Receipt receipt = receipts().record(event);
		List<String> records = new ArrayList<>();
		try (RedisConnection connection = bean(RedisConnectionFactory.class).getConnection()) {
			for (byte[] key : connection.keyCommands().keys("method-tests:*".getBytes(StandardCharsets.UTF_8))) {
				byte[] record = connection.stringCommands().get(key);
				records.add(new String((record != null) ? record : new byte[0], StandardCharsets.ISO_8859_1));
			}
		}

		assertThat(records).isNotEmpty()
			.noneMatch((record) -> record.contains(event.paymentId()) || record.contains("2026-11-30"));
		assertThat(receipts().record(event)).isEqualTo(receipt);
		assertThat(calls().count("record", event.paymentId())).isEqualTo(1);
	}

}
