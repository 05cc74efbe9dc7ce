package io.github.idempotency.internal.redis;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreContractTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The store contract on a Jedis connection factory, connected once per test class; a
 * subclass says where to (standalone or Cluster).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JedisStoreContract extends IdempotencyStoreContractTests {

	private JedisFixture jedis;

	/**
	 * @return a fixture connected to the Redis under test
	 */
	abstract JedisFixture connect();

	@BeforeAll
	void connectJedis() {
		this.jedis = connect();
	}

	@AfterAll
	void disconnectJedis() {
		this.jedis.close();
	}

	JedisFixture jedis() {
		return this.jedis;
	}

	@Override
	protected IdempotencyStore store() {
		return this.jedis.store();
	}

}
