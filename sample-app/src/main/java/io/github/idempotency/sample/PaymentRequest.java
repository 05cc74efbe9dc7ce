package io.github.idempotency.sample;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * The body of {@code POST /payments}.
 *
 * @param amount a positive amount in minor units
 * @param currency a three-letter currency code
 */
public record PaymentRequest(@NotNull @Positive Long amount,
		@NotNull @Pattern(regexp = "[A-Za-z]{3}", message = "must be three letters") String currency) {
}
