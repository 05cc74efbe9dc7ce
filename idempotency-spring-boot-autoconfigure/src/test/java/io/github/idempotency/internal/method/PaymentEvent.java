package io.github.idempotency.internal.method;

/**
 * A message as a broker would deliver it.
 *
 * @param paymentId the payment it is about; the idempotency key
 * @param amount the amount, the fingerprint of {@link ReceiptService#charge}
 */
public record PaymentEvent(String paymentId, long amount) {
}
