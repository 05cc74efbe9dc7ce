package io.github.idempotency.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import io.github.idempotency.testsupport.RedisServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record that an earlier build wrote is read by this one, so a rolling upgrade replays
 * what the old instances stored: the same store key for the same client key, the same
 * fingerprint for the same request, the same record format, whichever command claims the
 * key.
 */
class SampleRecordCompatibilityTests {

	/** The key the earlier build was sent, and the body. */
	private static final String KEY = "\"written-by-the-previous-build\"";

	private static final String BODY = "{\"amount\":1000,\"currency\":\"EUR\"}";

	/** Where the earlier build (9a713ea) stored the answer to that request. */
	private static final String STORE_KEY = "idempotency:as9dY4VloIxIjkhY35WfYQ";

	/**
	 * What it stored: the finished record, version 1, read back with redis-cli from that
	 * build's sample.
	 */
	private static final String FINISHED_RECORD = "010100210076a6c12e8ce04c545e25b81b564117f85ad182aaf8a4ef54dd7b989a63"
			+ "193ff400c9020103053c2f7061796d656e74732f7061795f32396135303566303135323934346433"
			+ "7b226964223a227061795f32396135303566303135323934346433222c22616d6f756e74223a313030302c2263757272"
			+ "656e6379223a22455552222c22737461747573223a22737563636565646564227d";

	/** What the earlier build answered. */
	private static final String ANSWER = "{\"id\":\"pay_29a505f0152944d3\",\"amount\":1000,\"currency\":\"EUR\","
			+ "\"status\":\"succeeded\"}";

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void aResponseStoredByTheEarlierBuildIsReplayedByteForByte() throws Exception {
		try (RedisServerProcess redis = RedisServerProcess.start(); ConfigurableApplicationContext app = start(redis)) {
			set(redis, STORE_KEY, HexFormat.of().parseHex(FINISHED_RECORD));
			int port = port(app);

			HttpResponse<String> replay = post(port, KEY, BODY);

			assertThat(replay.statusCode()).isEqualTo(201);
			assertThat(replay.body()).isEqualTo(ANSWER);
			assertThat(replay.headers().firstValue("Location")).hasValue("/payments/pay_29a505f0152944d3");
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			assertThat(post(port, KEY, "{\"amount\":2000,\"currency\":\"EUR\"}").statusCode()).isEqualTo(422);
			assertThat(app.getBean(PaymentService.class).findAll()).isEmpty();
		}
	}

	@Test
	void aClaimTheEarlierBuildHoldsIsRespectedAndFinishedByNoOneElse() throws Exception {
		byte[] finished = HexFormat.of().parseHex(FINISHED_RECORD);
		// version, flags 0 (in flight), the same fingerprint, then the earlier instance's
		// owner token
		byte[] inFlight = new byte[4 + 33 + 17];
		System.arraycopy(finished, 0, inFlight, 0, 4 + 33);
		inFlight[1] = 0;
		System.arraycopy(HexFormat.of().parseHex("00" + "0123456789abcdef0123456789abcdef"), 0, inFlight, 37, 17);
		try (RedisServerProcess redis = RedisServerProcess.start(); ConfigurableApplicationContext app = start(redis)) {
			set(redis, STORE_KEY, inFlight);
			int port = port(app);

			HttpResponse<String> conflict = post(port, KEY, BODY);

			assertThat(conflict.statusCode()).isEqualTo(409);
			assertThat(conflict.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(app.getBean(PaymentService.class).findAll()).isEmpty();
			assertThat(get(redis, STORE_KEY)).isEqualTo(inFlight);
		}
	}

	private static ConfigurableApplicationContext start(RedisServerProcess redis) {
		return SpringApplication.run(SampleApplication.class, "--server.port=0", "--spring.main.banner-mode=off",
				"--idempotency.store=redis", "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port());
	}

	private static int port(ConfigurableApplicationContext app) {
		return app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static void set(RedisServerProcess redis, String key, byte[] value) {
		RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
			connection.sync().set(key.getBytes(StandardCharsets.UTF_8), value);
		}
		finally {
			client.shutdown();
		}
	}

	private static byte[] get(RedisServerProcess redis, String key) {
		RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
			return connection.sync().get(key.getBytes(StandardCharsets.UTF_8));
		}
		finally {
			client.shutdown();
		}
	}

	private HttpResponse<String> post(int port, String key, String json) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/payments"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
