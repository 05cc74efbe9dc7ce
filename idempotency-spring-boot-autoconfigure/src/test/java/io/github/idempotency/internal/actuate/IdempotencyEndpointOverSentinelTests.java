package io.github.idempotency.internal.actuate;

import java.net.http.HttpResponse;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testsupport.RedisServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.idempotency.internal.actuate.IdempotencyEndpointTests.delete;
import static io.github.idempotency.internal.actuate.IdempotencyEndpointTests.get;
import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that finds its Redis through Sentinel, on Lettuce and on Jedis: requests
 * are replayed, and the {@code idempotency} endpoint shows and evicts a key, after which
 * the next request with it runs.
 */
class IdempotencyEndpointOverSentinelTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	@ParameterizedTest
	@ValueSource(strings = { "lettuce", "jedis" })
	void aKeyFoundThroughSentinelIsReplayedShownAndEvicted(String client) {
		try (RedisServerProcess primary = RedisServerProcess.start();
				RedisServerProcess sentinel = RedisServerProcess.startSentinel(primary, "orders");
				RunningApp app = RunningApp.start("idempotency.store=redis", "spring.data.redis.client-type=" + client,
						"spring.data.redis.sentinel.master=orders",
						"spring.data.redis.sentinel.nodes=" + sentinel.host() + ":" + sentinel.port(),
						"management.endpoints.web.exposure.include=idempotency")) {
			String key = UUID.randomUUID().toString();
			HttpResponse<byte[]> created = app.http().post("/orders", key, ORDER);
			HttpResponse<byte[]> replayed = app.http().post("/orders", key, ORDER);
			String report = body(get(app.http(), "?key=" + key, null));
			HttpResponse<byte[]> evicted = delete(app.http(), "?key=" + key, null);
			HttpResponse<byte[]> again = app.http().post("/orders", key, ORDER);

			assertThat(created.statusCode()).isEqualTo(201);
			assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			assertThat((String) JsonPath.read(report, "$.state")).isEqualTo("completed");
			assertThat((Integer) JsonPath.read(report, "$.bodyBytes")).isEqualTo(created.body().length);
			assertThat((Boolean) JsonPath.read(body(evicted), "$.evicted")).isTrue();
			assertThat(again.headers().firstValue("Idempotent-Replayed")).isEmpty();
			assertThat(app.executions().count("orders")).isEqualTo(2);
			assertThat(primary.cli("dbsize")).isEqualTo("1");
		}
	}

}
