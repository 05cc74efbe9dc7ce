package io.github.idempotency.sample;

import java.io.Serializable;

/**
 * The event a created payment publishes to RabbitMQ.
 *
 * @param paymentId the payment's id, unique across instances: the receipt consumer's key
 * @param amount the amount in minor units
 * @param currency the currency
 */
public record PaymentCreated(String paymentId, long amount, String currency) implements Serializable {
}
