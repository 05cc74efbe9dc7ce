package io.github.idempotency.internal.servlet;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testsupport.SharedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stored responses encrypted at rest (R39) through real HTTP on a real Redis and a real
 * PostgreSQL: no stored record holds the response in clear, replays are byte for byte, a
 * rotated key keeps old records replaying, a dropped key never lets a call run again, and
 * the keys never show in Actuator.
 */
@ExtendWith(OutputCaptureExtension.class)
class EncryptedResponsesTests {

	private static final String ORDER = "{\"item\":\"confidential-book\"}";

	private static final String K1 = key(1);

	private static final String K2 = key(2);

	@ParameterizedTest
	@EnumSource(value = SharedStore.Kind.class, names = { "REDIS", "POSTGRESQL" })
	void noStoredRecordHoldsTheResponseInClearAndReplaysAreByteForByte(SharedStore.Kind kind) throws Exception {
		try (SharedStore store = SharedStore.start(kind, "idempotency.key-prefix=encrypted");
				RunningApp app = RunningApp.start(settings(store, "k1", "k1=" + K1))) {
			String key = UUID.randomUUID().toString();
			HttpResponse<byte[]> first = app.http().post("/orders", key, ORDER);
			HttpResponse<byte[]> replay = app.http().post("/orders", key, ORDER);

			assertThat(first.statusCode()).isEqualTo(201);
			assertThat(replay.statusCode()).isEqualTo(201);
			assertThat(replay.body()).isEqualTo(first.body());
			assertThat(replay.headers().allValues("X-Multi")).isEqualTo(first.headers().allValues("X-Multi"));
			assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			List<String> records = rawRecords(app, kind);
			assertThat(records).singleElement()
				.satisfies((record) -> assertThat(record).doesNotContain("confidential-book", "X-Order-Number",
						first.headers().firstValue("Location").orElseThrow(), "X-Multi"));
			assertThat(app.executions().count("orders")).isEqualTo(1);
		}
	}

	@ParameterizedTest
	@EnumSource(value = SharedStore.Kind.class, names = { "REDIS", "POSTGRESQL" })
	void aRotatedKeyKeepsOldRecordsReplayingAndADroppedKeyNeverLetsACallRunAgain(SharedStore.Kind kind,
			CapturedOutput output) throws Exception {
		String old = UUID.randomUUID().toString();
		String fresh = UUID.randomUUID().toString();
		try (SharedStore store = SharedStore.start(kind, "idempotency.key-prefix=rotated")) {
			HttpResponse<byte[]> first;
			try (RunningApp before = RunningApp.start(settings(store, "k1", "k1=" + K1))) {
				first = before.http().post("/orders", old, ORDER);
			}
			try (RunningApp rotated = RunningApp.start(settings(store, "k2", "k1=" + K1, "k2=" + K2))) {
				HttpResponse<byte[]> replay = rotated.http().post("/orders", old, ORDER);
				assertThat(replay.body()).isEqualTo(first.body());
				assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
				assertThat(rotated.http().post("/orders", fresh, ORDER).statusCode()).isEqualTo(201);
				assertThat(rotated.executions().count("orders")).isEqualTo(1);
			}
			try (RunningApp dropped = RunningApp.start(settings(store, "k2", "k2=" + K2))) {
				HttpResponse<byte[]> refused = dropped.http().post("/orders", old, ORDER);
				HttpResponse<byte[]> stillReplayed = dropped.http().post("/orders", fresh, ORDER);

				assertThat(refused.statusCode()).isEqualTo(409);
				assertThat(body(refused)).contains("/record-unreadable");
				assertThat(stillReplayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
				assertThat(dropped.executions().count("orders")).isZero();
				assertThat(output).contains("encrypted with key 'k1', which is not configured");
				assertThat(output.toString()).doesNotContain(K1).doesNotContain(K2);
			}
		}
	}

	@Test
	void theKeysNeverShowInActuator() throws Exception {
		try (SharedStore store = SharedStore.start(SharedStore.Kind.REDIS);
				RunningApp app = RunningApp.start(settings(store, "k1", "k1=" + K1,
						"management.endpoints.web.exposure.include=env,configprops,health",
						"management.endpoint.env.show-values=always",
						"management.endpoint.configprops.show-values=always",
						"management.endpoint.health.show-details=always"))) {
			String env = get(app, "/actuator/env");
			String property = get(app, "/actuator/env/idempotency.encryption.keys.k1");
			String configProperties = get(app, "/actuator/configprops");

			assertThat(env).contains("idempotency.encryption.keys.k1").doesNotContain(K1);
			assertThat(property).contains("******").doesNotContain(K1);
			assertThat(configProperties).contains("currentKey").doesNotContain(K1);
			assertThat(get(app, "/actuator/health")).doesNotContain(K1);
		}
	}

	private static String[] settings(SharedStore store, String current, String... more) {
		List<String> settings = new ArrayList<>(Arrays.asList(store.properties()));
		settings.add("idempotency.encryption.current-key=" + current);
		for (String setting : more) {
			settings.add(setting.matches("k[0-9]=.*") ? "idempotency.encryption.keys." + setting : setting);
		}
		return settings.toArray(String[]::new);
	}

	private static List<String> rawRecords(RunningApp app, SharedStore.Kind kind) {
		List<byte[]> records = new ArrayList<>();
		if (kind == SharedStore.Kind.REDIS) {
			try (RedisConnection connection = app.bean(RedisConnectionFactory.class).getConnection()) {
				for (byte[] key : connection.keyCommands().keys("encrypted:*".getBytes(StandardCharsets.UTF_8))) {
					records.add(connection.stringCommands().get(key));
				}
			}
		}
		else {
			records.addAll(
					app.bean(JdbcTemplate.class).queryForList("SELECT record FROM idempotency_records", byte[].class));
		}
		return records.stream().map((record) -> new String(record, StandardCharsets.ISO_8859_1)).toList();
	}

	private static String get(RunningApp app, String path) {
		return body(app.http().send(HttpRequest.newBuilder(app.http().uri(path)).GET().build()));
	}

	private static String key(int seed) {
		byte[] key = new byte[32];
		for (int i = 0; i < key.length; i++) {
			key[i] = (byte) (seed * 31 + i * 7);
		}
		return Base64.getEncoder().encodeToString(key);
	}

}
