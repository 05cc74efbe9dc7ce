package io.github.idempotency.sample;

/**
 * A created payment.
 *
 * @param id the payment's id
 * @param amount the amount in minor units
 * @param currency the ISO 4217 currency code
 * @param status the payment's status
 */
public record Payment(String id, long amount, String currency, String status) {
}
