package io.github.idempotency.internal.redis;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store claims with {@code SET … NX GET} only when every node it uses is Redis 7.0 or
 * newer, as {@code INFO server} reports it.
 */
class RedisServerVersionTests {

	@Test
	void theVersionIsReadFromInfoServer() {
		String info = "# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\n";
		assertThat(RedisServerVersion.fromInfo(info)).isEqualTo("7.0.15");
		assertThat(RedisServerVersion.fromInfo("# Server\nredis_version:6.2.14")).isEqualTo("6.2.14");
		assertThat(RedisServerVersion.fromInfo("# Server\r\nredis_mode:standalone\r\n"))
			.isEqualTo(RedisServerVersion.UNKNOWN);
		assertThat(RedisServerVersion.fromInfo("redis_version:\r\n")).isEqualTo(RedisServerVersion.UNKNOWN);
		assertThat(RedisServerVersion.fromInfo(null)).isEqualTo(RedisServerVersion.UNKNOWN);
	}

	@Test
	void setNxGetOnlyWhenEveryNodeIs7OrNewer() {
		assertThat(RedisServerVersion.allTakeSetNxGet(List.of("7.0.0"))).isTrue();
		assertThat(RedisServerVersion.allTakeSetNxGet(List.of("7.2.4", "8.0.1", "10.0.0"))).isTrue();
		assertThat(RedisServerVersion.allTakeSetNxGet(List.of("6.2.14"))).isFalse();
		assertThat(RedisServerVersion.allTakeSetNxGet(List.of("7.0.15", "6.2.14"))).isFalse();
		assertThat(RedisServerVersion.allTakeSetNxGet(List.of(RedisServerVersion.UNKNOWN))).isFalse();
		assertThat(RedisServerVersion.allTakeSetNxGet(List.of("v7"))).isFalse();
		assertThat(RedisServerVersion.allTakeSetNxGet(List.of())).isFalse();
	}

}
