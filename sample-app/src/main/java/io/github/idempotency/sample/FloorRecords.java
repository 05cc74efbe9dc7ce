package io.github.idempotency.sample;

import java.net.URI;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * The record of the benchmark's hand-written floors, the same for each of them: a claim
 * is {@code P<fingerprint>|<owner>}, a finished record
 * {@code C<fingerprint>|<id>|<amount>|<currency>|<status>}; the fingerprint is the parsed
 * request's fields. It also turns what a floor finds under a key into the answer
 * {@code POST /payments} would give.
 */
final class FloorRecords {

	/** How long a claim holds its key, in milliseconds. */
	static final long LOCK_MILLIS = 30_000;

	/** How long a finished record is kept, in milliseconds. */
	static final long TTL_MILLIS = 86_400_000;

	private FloorRecords() {
	}

	static String storageKey(String key) {
		return "floor:" + key;
	}

	static String fingerprint(PaymentRequest request) {
		return request.amount() + "/" + request.currency();
	}

	static String claim(String fingerprint) {
		return "P" + fingerprint + "|" + Long.toHexString(ThreadLocalRandom.current().nextLong());
	}

	static String finished(String fingerprint, Payment payment) {
		return "C" + fingerprint + "|" + payment.id() + "|" + payment.amount() + "|" + payment.currency() + "|"
				+ payment.status();
	}

	/**
	 * The answer to a request that found a record under its key: 422 for another request,
	 * 409 while the first is in flight, the first's payment replayed once it finished.
	 */
	static ResponseEntity<Payment> answer(String existing, String fingerprint) {
		int end = existing.indexOf('|');
		if (!existing.regionMatches(1, fingerprint, 0, fingerprint.length()) || end != fingerprint.length() + 1) {
			return ResponseEntity.unprocessableEntity().build();
		}
		if (existing.charAt(0) != 'C') {
			return inFlight();
		}
		String[] fields = existing.substring(end + 1).split("\\|", 4);
		return created(new Payment(fields[0], Long.parseLong(fields[1]), fields[2], fields[3]), true);
	}

	static ResponseEntity<Payment> inFlight() {
		return ResponseEntity.status(HttpStatus.CONFLICT).header("Retry-After", "1").build();
	}

	static ResponseEntity<Payment> created(Payment payment, boolean replayed) {
		ResponseEntity.BodyBuilder response = ResponseEntity.created(URI.create("/payments/" + payment.id()));
		if (replayed) {
			response.header("Idempotent-Replayed", "true");
		}
		return response.body(payment);
	}

	static ResponseEntity<Payment> noKey() {
		return ResponseEntity.badRequest().build();
	}

}
