package io.github.idempotency.sample;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /payment-batches}.
 *
 * @param amounts 1 to 100 positive amounts in minor units, one payment each
 * @param currency a three-letter currency code for all of them
 */
record PaymentBatchRequest(@NotNull @Size(min = 1, max = 100) List<@NotNull @Positive Long> amounts,
		@NotNull @Pattern(regexp = "[A-Za-z]{3}", message = "must be three letters") String currency) {
}
