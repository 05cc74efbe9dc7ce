package io.github.idempotency.internal.redis;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

/**
 * Caps Lettuce's reconnect back-off, whose default grows to 30 s, so that requests
 * succeed again shortly after Redis answers after an outage of any length.
 */
public final class ReconnectDelay {

	private final Duration max;

	/**
	 * Creates the cap.
	 * @param max the longest pause between two reconnect attempts
	 */
	public ReconnectDelay(Duration max) {
		this.max = max;
	}

	/**
	 * Sets the capped delay on client resources being built.
	 * @param builder the builder
	 */
	public void applyTo(ClientResources.Builder builder) {
		builder.reconnectDelay(Delay.exponential(Duration.ZERO, this.max, 2, TimeUnit.MILLISECONDS));
	}

}
