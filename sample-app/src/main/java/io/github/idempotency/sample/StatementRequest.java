package io.github.idempotency.sample;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The body of {@code POST /statements}.
 *
 * @param account 1 to 64 letters, digits or '-'
 * @param lines how many lines the statement has, 1 to 20,000
 */
record StatementRequest(@NotNull @Pattern(regexp = "[A-Za-z0-9-]{1,64}",
		message = "must be 1 to 64 letters, digits or '-'") String account, @Min(1) @Max(20_000) int lines) {
}
