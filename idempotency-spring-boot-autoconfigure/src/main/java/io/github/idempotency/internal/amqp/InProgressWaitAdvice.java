package io.github.idempotency.internal.amqp;

import java.time.Duration;

import io.github.idempotency.IdempotencyInProgressException;
import io.github.idempotency.IdempotencyResponseLostException;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.util.Assert;

/**
 * Advice for a RabbitMQ listener container: a delivery whose
 * {@code @Idempotent(key = ...)} listener finds its key still in flight (the first
 * delivery runs on another consumer, or ran on one that died) waits on this consumer and
 * tries again, with a back-off from {@code initialInterval} doubling up to
 * {@code maxInterval}. It ends with the first delivery's stored result (a replay,
 * acknowledged), or it claims the key itself once the first claim expired and runs.
 * Should it still be in flight after {@code maxWait}, the message is requeued
 * ({@link ImmediateRequeueAmqpException}, whatever {@code default-requeue-rejected}
 * says): never dropped, never dead-lettered, and never redelivered in a tight loop. A
 * delivery whose first delivery took effect but whose result was never stored
 * ({@link IdempotencyResponseLostException}, JDBC store) is acknowledged with a WARN: its
 * effect happened, so redelivering it could only loop.
 */
public final class InProgressWaitAdvice implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(InProgressWaitAdvice.class);

	private final long initialIntervalMillis;

	private final long maxIntervalMillis;

	private final long maxWaitNanos;

	/**
	 * Creates the advice.
	 * @param initialInterval the first pause before trying again
	 * @param maxInterval the longest pause between two tries
	 * @param maxWait the longest a delivery waits before it is requeued
	 */
	public InProgressWaitAdvice(Duration initialInterval, Duration maxInterval, Duration maxWait) {
		Assert.isTrue(initialInterval.toMillis() > 0, "initialInterval must be at least 1 ms");
		Assert.isTrue(maxInterval.compareTo(initialInterval) >= 0,
				"maxInterval must not be shorter than initialInterval");
		Assert.isTrue(!maxWait.isNegative(), "maxWait must not be negative");
		this.initialIntervalMillis = initialInterval.toMillis();
		this.maxIntervalMillis = maxInterval.toMillis();
		this.maxWaitNanos = maxWait.toNanos();
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		long started = System.nanoTime();
		long pause = this.initialIntervalMillis;
		while (true) {
			MethodInvocation attempt = (invocation instanceof ProxyMethodInvocation proxy) ? proxy.invocableClone()
					: invocation;
			try {
				return attempt.proceed();
			}
			catch (Throwable ex) {
				if (tookEffect(ex)) {
					logger.warn("Acknowledged a delivery whose first delivery took effect but whose result was never "
							+ "stored: " + ex.getMessage());
					return null;
				}
				IdempotencyInProgressException inProgress = IdempotencyInProgressException.findIn(ex);
				if (inProgress == null || !(invocation instanceof ProxyMethodInvocation)) {
					throw ex;
				}
				long waited = System.nanoTime() - started;
				if (waited + pause * 1_000_000 > this.maxWaitNanos) {
					throw new ImmediateRequeueAmqpException("Requeued after waiting " + waited / 1_000_000
							+ " ms for the delivery with the same key still in progress: " + inProgress.getMessage(),
							ex);
				}
				if (logger.isDebugEnabled()) {
					logger.debug("Delivery waits " + pause + " ms: " + inProgress.getMessage());
				}
				sleep(pause, ex);
				pause = Math.min(pause * 2, this.maxIntervalMillis);
			}
		}
	}

	private static boolean tookEffect(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof IdempotencyResponseLostException) {
				return true;
			}
		}
		return false;
	}

	private static void sleep(long millis, Throwable cause) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ImmediateRequeueAmqpException("Requeued: the consumer was stopped while waiting for the delivery "
					+ "with the same key still in progress", cause);
		}
	}

}
