package io.github.idempotency.sample;

import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import jakarta.validation.Valid;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark's floor, only with {@code sample.floor.enabled=true}:
 * {@code POST /floor/payments} makes, by hand and without the starter, the fewest Redis
 * calls the starter's guarantees need — the claim as
 * {@code SET key record NX GET PX lock-timeout} (it claims, or returns what is there, so
 * a replay is one plain command) and the completion as one owner-checked {@code EVALSHA}
 * — around the same business call as {@code POST /payments}, whose answer it writes the
 * same way (the {@link Payment}, serialized by Spring MVC's JSON converter). The record
 * keeps the payment's fields, the fingerprint is the parsed request's fields, the key the
 * raw header; answers are 201 (first or replayed), 409 (in flight), 422 (another request)
 * and 400 (no key). Not for production: no scope, no release on failure, no store
 * timeout.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "sample.floor", name = "enabled", havingValue = "true")
class FloorController implements DisposableBean {

	private static final String COMPLETE = "if redis.call('GET', KEYS[1]) == ARGV[1] then "
			+ "redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0";

	private static final SetArgs CLAIM = SetArgs.Builder.nx().px(30_000);

	private static final String TTL_MILLIS = "86400000";

	private final PaymentService payments;

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final RedisCommands<String, String> redis;

	private final String completeSha;

	FloorController(PaymentService payments, Environment environment) {
		this.payments = payments;
		this.client = RedisClient.create(RedisURI.create(environment.getProperty("spring.data.redis.host", "localhost"),
				environment.getProperty("spring.data.redis.port", Integer.class, 6379)));
		this.connection = this.client.connect();
		this.redis = this.connection.sync();
		this.completeSha = this.redis.scriptLoad(COMPLETE);
	}

	@PostMapping("/floor/payments")
	ResponseEntity<Payment> create(@RequestHeader(name = "Idempotency-Key", required = false) String key,
			@Valid @RequestBody PaymentRequest request) {
		if (key == null) {
			return ResponseEntity.badRequest().build();
		}
		String storageKey = "floor:" + key;
		String fingerprint = request.amount() + "/" + request.currency();
		String claim = "P" + fingerprint + "|" + Long.toHexString(ThreadLocalRandom.current().nextLong());
		String existing = this.redis.setGet(storageKey, claim, CLAIM);
		if (existing != null) {
			return answer(existing, fingerprint);
		}
		Payment payment = this.payments.create(request);
		this.redis.evalsha(
				this.completeSha, ScriptOutputType.INTEGER, new String[] { storageKey }, claim, "C" + fingerprint + "|"
						+ payment.id() + "|" + payment.amount() + "|" + payment.currency() + "|" + payment.status(),
				TTL_MILLIS);
		return created(payment, false);
	}

	private static ResponseEntity<Payment> answer(String existing, String fingerprint) {
		int end = existing.indexOf('|');
		if (!existing.regionMatches(1, fingerprint, 0, fingerprint.length()) || end != fingerprint.length() + 1) {
			return ResponseEntity.unprocessableEntity().build();
		}
		if (existing.charAt(0) != 'C') {
			return ResponseEntity.status(HttpStatus.CONFLICT).header("Retry-After", "1").build();
		}
		String[] fields = existing.substring(end + 1).split("\\|", 4);
		return created(new Payment(fields[0], Long.parseLong(fields[1]), fields[2], fields[3]), true);
	}

	private static ResponseEntity<Payment> created(Payment payment, boolean replayed) {
		ResponseEntity.BodyBuilder response = ResponseEntity.created(URI.create("/payments/" + payment.id()));
		if (replayed) {
			response.header("Idempotent-Replayed", "true");
		}
		return response.body(payment);
	}

	@Override
	public void destroy() {
		this.connection.close();
		this.client.shutdown();
	}

}
