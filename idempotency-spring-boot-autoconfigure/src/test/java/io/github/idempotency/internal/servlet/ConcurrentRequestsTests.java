package io.github.idempotency.internal.servlet;

import java.util.List;

import io.github.idempotency.testsupport.TestRedis;

/**
 * {@link ConcurrentRequestsContract} on the suite's standalone Redis.
 */
class ConcurrentRequestsTests extends ConcurrentRequestsContract {

	@Override
	protected List<String> storeSettings() {
		TestRedis redis = TestRedis.shared();
		return List.of("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port());
	}

}
