package io.github.idempotency.internal.jdbc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.idempotency.Idempotent;
import io.github.idempotency.testapp.Gate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A payment service on the JDBC store, as its users write one: every payment is a row in
 * the {@code payments} table of the same database (no unique constraint on the request),
 * written in a transaction by a {@code @Transactional} handler, a {@code @Transactional}
 * service or a {@code TransactionTemplate}. Spring Security is on and lets every request
 * through.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ PaymentsApplication.PaymentsController.class, PaymentsApplication.PaymentService.class, Gate.class })
public class PaymentsApplication {

	/**
	 * The business table; {@code ref} is the client's reference, the idempotency key in
	 * the tests.
	 */
	/** Live claims (lock not passed) by state, {@code E/P}, on PostgreSQL. */
	static final String LIVE_CLAIMS_BY_STATE = "SELECT SUM(CASE WHEN state = 'E' THEN 1 ELSE 0 END) || '/' "
			+ "|| SUM(CASE WHEN state = 'P' THEN 1 ELSE 0 END) FROM idempotency_records "
			+ "WHERE locked_until > (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint";

	static final String PAYMENTS_TABLE = "CREATE TABLE IF NOT EXISTS payments (ref VARCHAR(64) NOT NULL, amount INT NOT NULL)";

	/**
	 * {@code -Dpayments.jitter-ms=N}: each payment pauses up to N ms before its insert
	 * and after its commit, so a process killed at a random moment dies in every phase of
	 * a request.
	 */
	private static final int JITTER_MILLIS = Integer.getInteger("payments.jitter-ms", 0);

	/**
	 * {@code -Dpayments.observe-commits=false}: no look at the idempotency table after
	 * commits.
	 */
	private static final boolean OBSERVE_COMMITS = !"false".equals(System.getProperty("payments.observe-commits"));

	public static void main(String[] args) {
		SpringApplication.run(PaymentsApplication.class, args);
	}

	static void pause() {
		if (JITTER_MILLIS > 0) {
			try {
				Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(JITTER_MILLIS));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Bean
	SecurityFilterChain everyoneMayPay(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

	@Bean
	Observed observed() {
		return new Observed();
	}

	/** What the tests look at from inside the application. */
	static class Observed {

		/** Per reference, how often the business code was entered. */
		final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

		/**
		 * Just after each payment's transaction committed: its reference, and how many
		 * live claims (lock not yet passed) had taken effect ({@code E}) and how many had
		 * not ({@code P}).
		 */
		final List<String> statesAtCommit = new CopyOnWriteArrayList<>();

		int attempt(String ref) {
			return this.attempts.computeIfAbsent(ref, (r) -> new AtomicInteger()).incrementAndGet();
		}

	}

	@RestController
	static class PaymentsController {

		private final JdbcTemplate jdbc;

		private final TransactionTemplate transactions;

		private final PaymentService service;

		private final Observed observed;

		private final Gate gate;

		PaymentsController(JdbcTemplate jdbc, TransactionTemplate transactions, PaymentService service,
				Observed observed, Gate gate) {
			this.jdbc = jdbc;
			this.transactions = transactions;
			this.service = service;
			this.observed = observed;
			this.gate = gate;
		}

		@PostMapping("/payments")
		@Idempotent
		@Transactional
		ResponseEntity<String> pay(@RequestBody Map<String, Object> payment) {
			return created(insert(payment));
		}

		@PostMapping("/payments/via-service")
		@Idempotent
		ResponseEntity<String> payViaService(@RequestBody Map<String, Object> payment) {
			return created(this.service.pay(payment));
		}

		@PostMapping("/payments/via-template")
		@Idempotent
		ResponseEntity<String> payViaTemplate(@RequestBody Map<String, Object> payment) {
			return created(this.transactions.execute((status) -> insert(payment)));
		}

		/**
		 * Commits the payment, then fails, as an instance that dies before storing the
		 * response.
		 */
		@PostMapping("/payments/then-fail")
		@Idempotent(lockTimeout = "1s")
		ResponseEntity<String> payThenFail(@RequestBody Map<String, Object> payment) {
			this.transactions.executeWithoutResult((status) -> insert(payment));
			throw new IllegalStateException("the instance died after the commit");
		}

		/**
		 * Commits the payment, then answers 409, a status that is not stored: its changes
		 * have committed, so the answer is stored instead of the key being released.
		 */
		@PostMapping("/payments/then-conflict")
		@Idempotent
		ResponseEntity<String> payThenConflict(@RequestBody Map<String, Object> payment) {
			String ref = this.transactions.execute((status) -> insert(payment));
			return ResponseEntity.status(HttpStatus.CONFLICT).body("{\"ref\":\"" + ref + "\",\"warning\":\"late\"}");
		}

		/** The first attempt inserts and rolls back; the next one pays. */
		@PostMapping("/payments/rollback-once")
		@Idempotent
		@Transactional
		ResponseEntity<String> payAfterARollback(@RequestBody Map<String, Object> payment) {
			String ref = insert(payment);
			if (this.observed.attempt(ref) == 1) {
				throw new IllegalStateException("rolled back");
			}
			return created(ref);
		}

		/**
		 * The first attempt waits at the gate inside its transaction, past its lock
		 * timeout.
		 */
		@PostMapping("/payments/slow")
		@Idempotent(lockTimeout = "1s")
		@Transactional
		ResponseEntity<String> paySlowly(@RequestBody Map<String, Object> payment) throws InterruptedException {
			String ref = insert(payment);
			if (this.observed.attempt(ref) == 1) {
				this.gate.pass();
			}
			return created(ref);
		}

		private String insert(Map<String, Object> payment) {
			return PaymentService.insert(this.jdbc, this.observed, payment);
		}

		private static ResponseEntity<String> created(String ref) {
			return ResponseEntity.status(HttpStatus.CREATED).body("{\"ref\":\"" + ref + "\"}");
		}

	}

	@Service
	static class PaymentService {

		private final JdbcTemplate jdbc;

		private final Observed observed;

		PaymentService(JdbcTemplate jdbc, Observed observed) {
			this.jdbc = jdbc;
			this.observed = observed;
		}

		@Transactional
		public String pay(Map<String, Object> payment) {
			return insert(this.jdbc, this.observed, payment);
		}

		static String insert(JdbcTemplate jdbc, Observed observed, Map<String, Object> payment) {
			String ref = String.valueOf(payment.get("ref"));
			pause();
			jdbc.update("INSERT INTO payments (ref, amount) VALUES (?, ?)", ref, payment.get("amount"));
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					if (OBSERVE_COMMITS) {
						observed.statesAtCommit
							.add(ref + ":" + jdbc.queryForObject(LIVE_CLAIMS_BY_STATE, String.class));
					}
					pause();
				}
			});
			return ref;
		}

	}

}
