package io.github.idempotency.internal.method;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;

import io.github.idempotency.Idempotent;
import io.github.idempotency.internal.aop.IdempotentDurations;

import org.springframework.core.KotlinDetector;
import org.springframework.core.annotation.MergedAnnotations;

/**
 * How long a Kotlin {@code suspend} listener waits for a delivery with its key in flight.
 * The listener container hands such a function's result to a coroutine and moves on, so
 * it cannot wait for the key as it does for a blocking listener: a failed delivery would
 * be requeued at once, again and again, while the first runs. Instead the delivery waits
 * in the function, without holding a thread, for {@code idempotency.listener.max-wait},
 * unless the annotation or {@code idempotency.wait-for-in-progress} says how long.
 */
final class SuspendingListeners {

	private static final List<String> LISTENER_ANNOTATIONS = List.of(
			"org.springframework.amqp.rabbit.annotation.RabbitListener",
			"org.springframework.amqp.rabbit.annotation.RabbitHandler",
			"org.springframework.kafka.annotation.KafkaListener", "org.springframework.kafka.annotation.KafkaHandler");

	private SuspendingListeners() {
	}

	/**
	 * The durations of a method.
	 * @param method the method
	 * @param idempotent its annotation
	 * @param defaults the global durations
	 * @param listenerWait how long a suspend listener's delivery waits for its key in
	 * flight; zero when the starter leaves listeners alone
	 * @return {@code defaults}, with the listener wait where it applies
	 */
	static IdempotentDurations defaults(Method method, Idempotent idempotent, IdempotentDurations defaults,
			Duration listenerWait) {
		if (listenerWait.isZero() || !idempotent.waitForInProgress().isBlank() || !defaults.waitForInProgress().isZero()
				|| !KotlinDetector.isSuspendingFunction(method) || !isListener(method)) {
			return defaults;
		}
		return new IdempotentDurations(defaults.ttl(), defaults.lockTimeout(), listenerWait);
	}

	private static boolean isListener(Method method) {
		MergedAnnotations annotations = MergedAnnotations.from(method, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY);
		return LISTENER_ANNOTATIONS.stream().anyMatch(annotations::isPresent);
	}

}
