package io.github.idempotency.sample;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PUT /payments/{id}/description}.
 *
 * @param text the new description, at most 500 characters
 */
record DescriptionRequest(@NotNull @Size(max = 500) String text) {
}
