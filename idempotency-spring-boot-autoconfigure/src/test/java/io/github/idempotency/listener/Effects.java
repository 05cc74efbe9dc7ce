package io.github.idempotency.listener;

import java.time.Duration;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The business effects of the test listeners, kept in Redis so that a test can count them
 * across application JVMs, including one it killed. What a listener does depends on the
 * message, a payment id: {@code fail-once-…} throws on its first delivery, {@code slow-…}
 * waits until the test releases it, {@code hang-…} waits until the JVM is killed; every
 * other id just runs.
 */
public class Effects {

	private final StringRedisTemplate redis;

	public Effects(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Runs the business code of one listener for one payment.
	 * @param listener the listener's name
	 * @param paymentId the message
	 */
	void apply(String listener, String paymentId) {
		long attempt = increment("attempts:" + listener + ":" + paymentId);
		if (paymentId.startsWith("fail-once-") && attempt == 1) {
			throw new IllegalStateException("the first delivery of " + paymentId + " fails");
		}
		if (paymentId.startsWith("slow-") || paymentId.startsWith("hang-")) {
			increment("started:" + listener + ":" + paymentId);
			// within Lettuce's command timeout (60 s by default), so the wait itself
			// cannot fail first
			String released = this.redis.opsForList().leftPop("release:" + paymentId, Duration.ofSeconds(50));
			if (released == null) {
				throw new IllegalStateException(paymentId + " was not released within 50 s");
			}
		}
		increment("effects:" + listener + ":" + paymentId);
	}

	private long increment(String key) {
		Long value = this.redis.opsForValue().increment("test-effects:" + key);
		return (value != null) ? value : 0;
	}

	/**
	 * Reads a count.
	 * @param redis the test's view of the same Redis
	 * @param what {@code effects}, {@code attempts} or {@code started}
	 * @param listener the listener's name
	 * @param paymentId the payment
	 * @return the count, 0 when none
	 */
	public static long count(StringRedisTemplate redis, String what, String listener, String paymentId) {
		String value = redis.opsForValue().get("test-effects:" + what + ":" + listener + ":" + paymentId);
		return (value != null) ? Long.parseLong(value) : 0;
	}

	/**
	 * Lets {@code slow-…} deliveries finish.
	 * @param redis the test's view of the same Redis
	 * @param paymentId the payment
	 * @param deliveries how many waiting deliveries (one per listener) may go on
	 */
	public static void release(StringRedisTemplate redis, String paymentId, int deliveries) {
		for (int i = 0; i < deliveries; i++) {
			redis.opsForList().leftPush("release:" + paymentId, "go");
		}
	}

}
