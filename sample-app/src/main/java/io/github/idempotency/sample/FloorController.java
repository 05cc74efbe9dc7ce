package io.github.idempotency.sample;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import jakarta.validation.Valid;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark's Spring MVC floor on Redis, only with {@code sample.floor.enabled=true}
 * ({@code sample.floor.store=redis}, the default): {@code POST /floor/payments} makes, by
 * hand and without the starter, the fewest Redis calls the starter's guarantees need —
 * the claim as {@code SET key record NX GET PX lock-timeout} (it claims, or returns what
 * is there, so a replay is one plain command) and the completion as one owner-checked
 * {@code EVALSHA} — around the same business call as {@code POST /payments}, whose answer
 * it writes the same way (the {@link Payment}, serialized by Spring MVC's JSON
 * converter). The record is {@link FloorRecords}'s, the key the raw header; answers are
 * 201 (first or replayed), 409 (in flight), 422 (another request) and 400 (no key). Not
 * for production: no scope, no release on failure, no store timeout.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnExpression("${sample.floor.enabled:false} and '${sample.floor.store:redis}' == 'redis'")
class FloorController implements DisposableBean {

	private final PaymentService payments;

	private final FloorRedisConnection connection;

	private final RedisCommands<String, String> redis;

	FloorController(PaymentService payments, Environment environment) {
		this.payments = payments;
		this.connection = new FloorRedisConnection(environment);
		this.redis = this.connection.connection().sync();
	}

	@PostMapping("/floor/payments")
	ResponseEntity<Payment> create(@RequestHeader(name = "Idempotency-Key", required = false) String key,
			@Valid @RequestBody PaymentRequest request) {
		if (key == null) {
			return FloorRecords.noKey();
		}
		String storageKey = FloorRecords.storageKey(key);
		String fingerprint = FloorRecords.fingerprint(request);
		String claim = FloorRecords.claim(fingerprint);
		String existing = this.redis.setGet(storageKey, claim, FloorRedisConnection.CLAIM);
		if (existing != null) {
			return FloorRecords.answer(existing, fingerprint);
		}
		Payment payment = this.payments.create(request);
		this.redis.evalsha(this.connection.completeSha(), ScriptOutputType.INTEGER, new String[] { storageKey }, claim,
				FloorRecords.finished(fingerprint, payment), FloorRedisConnection.TTL);
		return FloorRecords.created(payment, false);
	}

	@Override
	public void destroy() {
		this.connection.close();
	}

}
