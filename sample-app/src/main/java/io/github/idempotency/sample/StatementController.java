package io.github.idempotency.sample;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.github.idempotency.Idempotent;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issues an account statement of as many lines as asked for (about 90 bytes of JSON
 * each), so the benchmarks can store responses of any size from one request of a few
 * bytes. Nothing is kept: the lines are made up from their numbers.
 */
@RestController
class StatementController {

	private static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);

	private static final String[] TEXTS = { "Card payment", "Transfer in", "Transfer out", "Direct debit", "Refund",
			"Interest" };

	@PostMapping("/statements")
	@Idempotent
	ResponseEntity<Statement> issue(@Valid @RequestBody StatementRequest request) {
		List<Line> lines = new ArrayList<>(request.lines());
		long balance = 0;
		for (int number = 1; number <= request.lines(); number++) {
			long amount = mixed(number) % 200_000 - 100_000;
			balance += amount;
			lines.add(new Line(number, FIRST_DAY.plusDays(number / 40).toString(),
					TEXTS[(int) (mixed(number + 7) % TEXTS.length)] + " " + Long.toHexString(mixed(number)), amount,
					balance));
		}
		return ResponseEntity.status(HttpStatus.CREATED).body(new Statement(request.account(), lines));
	}

	/** A number that looks random and is the same for the same line. */
	private static long mixed(long number) {
		long x = number * 0x9E3779B97F4A7C15L;
		x = (x ^ (x >>> 31)) * 0xBF58476D1CE4E5B9L;
		return (x ^ (x >>> 29)) & Long.MAX_VALUE;
	}

	/**
	 * A statement.
	 *
	 * @param account the account it is for
	 * @param lines its lines, in order
	 */
	record Statement(String account, List<Line> lines) {
	}

	/**
	 * One line of a statement.
	 *
	 * @param number its position, from 1
	 * @param date its booking date
	 * @param text what it was
	 * @param amount the amount in minor units, negative when money left the account
	 * @param balance the balance after it
	 */
	record Line(int number, String date, String text, long amount, long balance) {
	}

}
