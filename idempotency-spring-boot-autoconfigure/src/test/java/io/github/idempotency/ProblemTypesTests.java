package io.github.idempotency;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The problem types are part of the API: clients branch on them. This pins every type,
 * status and title, and checks that the status code reference documents each one.
 */
class ProblemTypesTests {

	@Test
	void everyProblemTypeIsPinned() {
		Map<String, String> pinned = Arrays.stream(IdempotencyProblem.values())
			.collect(Collectors.toMap(IdempotencyProblem::type, (p) -> p.status() + " " + p.title()));
		assertThat(pinned).containsExactlyInAnyOrderEntriesOf(Map.of(
				"https://idempotency.github.io/problems/missing-key", "400 Idempotency key missing",
				"https://idempotency.github.io/problems/invalid-key", "400 Invalid idempotency key",
				"https://idempotency.github.io/problems/body-too-large", "413 Request body too large",
				"https://idempotency.github.io/problems/request-in-progress", "409 Request in progress",
				"https://idempotency.github.io/problems/key-reused", "422 Idempotency key reused",
				"https://idempotency.github.io/problems/response-lost", "410 Request took effect; response lost",
				"https://idempotency.github.io/problems/record-unreadable", "409 Idempotency record unreadable",
				"https://idempotency.github.io/problems/claim-lost", "409 Claim lost; changes rolled back",
				"https://idempotency.github.io/problems/store-unavailable", "503 Idempotency store unavailable"));
	}

	@Test
	void everyDetailTellsTheClientWhatToDo() {
		for (IdempotencyProblem problem : IdempotencyProblem.values()) {
			assertThat(problem.detail("Idempotency-Key", "reason")).as(problem.name())
				.containsAnyOf("Send", "Retry", "retry", "Do not retry");
		}
	}

	@Test
	void theReadmeDocumentsEveryProblemType() throws IOException {
		String readme = Files.readString(Path.of("..", "docs/reference/status-codes.md"));
		for (IdempotencyProblem problem : IdempotencyProblem.values()) {
			String slug = problem.type().substring(IdempotencyProblem.TYPE_PREFIX.length());
			assertThat(readme).as("docs/reference/status-codes.md documents %s", slug)
				.contains(problem.type())
				.contains("| `" + slug + "` |");
		}
	}

}
