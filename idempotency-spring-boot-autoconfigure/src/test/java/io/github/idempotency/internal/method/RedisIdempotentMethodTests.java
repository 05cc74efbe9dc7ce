package io.github.idempotency.internal.method;

import io.github.idempotency.testsupport.TestRedis;

/**
 * The semantics of {@code @Idempotent(key = ...)} on a real Redis.
 */
class RedisIdempotentMethodTests extends IdempotentMethodContract {

	@Override
	String[] storeProperties() {
		TestRedis redis = TestRedis.shared();
		return new String[] { "idempotency.store=redis", "spring.data.redis.host=" + redis.host(),
				"spring.data.redis.port=" + redis.port(), "idempotency.key-prefix=method-tests" };
	}

}
