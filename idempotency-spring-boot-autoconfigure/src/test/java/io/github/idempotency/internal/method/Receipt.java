package io.github.idempotency.internal.method;

import java.time.Instant;
import java.util.List;

/**
 * A return value with nested, generic and time-typed members, to prove values are read
 * back exactly as the declared type.
 *
 * @param paymentId the payment
 * @param number how many receipts had been written when this one was
 * @param amount the amount
 * @param issued when it was issued
 * @param lines its lines
 */
public record Receipt(String paymentId, int number, long amount, Instant issued, List<Line> lines) {

	/**
	 * One line of a receipt.
	 *
	 * @param text what was paid for
	 * @param cents how much
	 */
	public record Line(String text, long cents) {
	}

}
