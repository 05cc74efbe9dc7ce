package io.github.idempotency;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What a store holds under a key, as {@link IdempotencyStore#inspect} reads it for an
 * operator.
 *
 * @param record the record: a claim in flight, a call that took effect, or a finished
 * response ({@link ClaimResult.InFlight}, {@link ClaimResult.Executed},
 * {@link ClaimResult.Completed})
 * @param expiresIn how long the record still lives: the claim's remaining lock time, or
 * the finished response's remaining time to live; {@code null} when the store cannot tell
 */
public record RecordInspection(ClaimResult record, @Nullable Duration expiresIn) {

	/**
	 * Creates an inspection.
	 * @param record the record
	 * @param expiresIn how long it still lives, or {@code null}
	 */
	public RecordInspection {
		Assert.notNull(record, "record must not be null");
		Assert.isTrue(!(record instanceof ClaimResult.Claimed), "a claim taken now is no record to inspect");
	}

}
