package io.github.idempotency.internal.aop;

import java.lang.reflect.Method;
import java.time.Duration;

import io.github.idempotency.Idempotent;

import org.springframework.util.Assert;

/**
 * The durations of an idempotent method: the global settings, or a method's once its
 * {@code @Idempotent} attributes are applied to them.
 *
 * @param ttl how long a finished call's result is replayed
 * @param lockTimeout how long an unfinished call holds its key without a renewal
 * @param waitForInProgress how long a duplicate of a call in flight waits for it; zero
 * refuses it at once
 */
public record IdempotentDurations(Duration ttl, Duration lockTimeout, Duration waitForInProgress) {

	/**
	 * Checks the durations.
	 * @param ttl how long a finished call's result is replayed
	 * @param lockTimeout how long an unfinished call holds its key without a renewal
	 * @param waitForInProgress how long a duplicate of a call in flight waits for it
	 */
	public IdempotentDurations {
		Assert.isTrue(IdempotentAnnotations.isPositive(ttl), "idempotency.ttl must be positive");
		Assert.isTrue(IdempotentAnnotations.isPositive(lockTimeout), "idempotency.lock-timeout must be positive");
		Assert.isTrue(waitForInProgress != null && !waitForInProgress.isNegative(),
				"idempotency.wait-for-in-progress must not be negative");
	}

	/**
	 * The durations of one method: its annotation's, where it sets them, else these.
	 * @param method the method, for messages
	 * @param idempotent its annotation
	 * @return the method's durations
	 * @throws org.springframework.beans.factory.BeanInitializationException naming the
	 * method when an attribute is no duration, or out of range
	 */
	public IdempotentDurations of(Method method, Idempotent idempotent) {
		return new IdempotentDurations(IdempotentAnnotations.duration(method, "ttl", idempotent.ttl(), this.ttl),
				IdempotentAnnotations.duration(method, "lockTimeout", idempotent.lockTimeout(), this.lockTimeout),
				IdempotentAnnotations.waitDuration(method, idempotent.waitForInProgress(), this.waitForInProgress));
	}

}
