package io.github.idempotency.sample;

import java.util.List;

import io.github.idempotency.testsupport.RedisServerProcess;

/**
 * The Spring MVC floor on Redis ({@code sample.floor.enabled}, {@link FloorController})
 * keeps the floor's contract.
 */
class SampleFloorTests extends FloorContractTests {

	private final RedisServerProcess redis = RedisServerProcess.start();

	@Override
	protected List<String> floorArguments() {
		return List.of("--spring.data.redis.host=" + this.redis.host(),
				"--spring.data.redis.port=" + this.redis.port());
	}

	@Override
	protected String storedRecord(String storageKey) {
		return this.redis.cli("get", storageKey);
	}

	@Override
	protected void closeStore() {
		this.redis.close();
	}

}
