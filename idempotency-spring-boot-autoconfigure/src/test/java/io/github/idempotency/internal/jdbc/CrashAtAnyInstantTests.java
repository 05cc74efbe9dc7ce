package io.github.idempotency.internal.jdbc;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.idempotency.testapp.RunningProcessApp;
import io.github.idempotency.testapp.TestHttp;
import io.github.idempotency.testsupport.RedisServerProcess;
import io.github.idempotency.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A payment service is killed with SIGKILL while clients keep retrying their keys (each
 * time another share of the keys has been answered, with the requests in flight at random
 * phases), and restarted each time. Its {@code @Transactional} handler inserts a payment
 * row into PostgreSQL (no unique constraint on the key). With the JDBC store on the same
 * database, afterwards every key has at most one payment and every key that got a 2xx has
 * exactly one. The same run on the Redis store shows the window the documentation
 * describes there: it is counted and printed, not failed.
 */
class CrashAtAnyInstantTests {

	private static final int KEYS = 40;

	private static final int CLIENTS = 4;

	private static final int KILLS = 4;

	@Test
	void jdbcStoreNeverPaysTwiceAndEveryAnsweredKeyPaidOnce() throws Exception {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
			Run run = crashRepeatedly(database, "--idempotency.store=jdbc",
					"--idempotency.jdbc.initialize-schema=always");
			System.out.println("Crash test, JDBC store: " + run);
			assertThat(run.doublePaid()).isZero();
			assertThat(run.answeredWithoutPayment()).isZero();
			assertThat(run.responseLostWithoutPayment()).isZero();
			assertThat(run.kills()).isEqualTo(KILLS);
		}
	}

	@Test
	void redisStoreShowsTheDocumentedWindow() throws Exception {
		try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
				RedisServerProcess redis = RedisServerProcess.start()) {
			Run run = crashRepeatedly(database, "--idempotency.store=redis", "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port());
			System.out.println("Crash test, Redis store (the documented window, counted): " + run);
			assertThat(run.answeredUnpaid()).isZero();
			assertThat(run.kills()).isEqualTo(KILLS);
		}
	}

	private Run crashRepeatedly(TestDatabase database, String... storeArguments) throws Exception {
		JdbcTemplate jdbc = new JdbcTemplate(database.dataSource());
		jdbc.execute(PaymentsApplication.PAYMENTS_TABLE);
		List<String> arguments = new ArrayList<>();
		database.settings().forEach((setting) -> arguments.add("--" + setting));
		arguments.addAll(List.of(storeArguments));
		arguments.addAll(List.of("--idempotency.lock-timeout=2s", "--server.tomcat.threads.max=20",
				"--spring.datasource.hikari.maximum-pool-size=8"));
		int port = RedisServerProcess.freePort();
		AtomicReference<RunningProcessApp> app = new AtomicReference<>(start(port, arguments));
		List<String> refs = new ArrayList<>();
		for (int i = 0; i < KEYS; i++) {
			refs.add(UUID.randomUUID().toString());
		}
		Map<String, Integer> answers = new ConcurrentHashMap<>();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		List<Future<?>> work = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
		for (int c = 0; c < CLIENTS; c++) {
			List<String> mine = refs.subList(c * KEYS / CLIENTS, (c + 1) * KEYS / CLIENTS);
			work.add(clients.submit(() -> retryUntilAnswered(new TestHttp(port), mine, answers, deadline)));
		}
		int kills = 0;
		try {
			while (kills < KILLS) {
				// kill while the clients are busy: once another share of the keys has
				// been answered,
				// at whatever phase the requests in flight are (each pauses at random,
				// see start)
				int answered = (kills + 1) * KEYS / (KILLS + 1);
				await().atMost(Duration.ofSeconds(120))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> answers.size() >= answered);
				app.get().kill();
				kills++;
				app.set(start(port, arguments));
			}
			for (Future<?> client : work) {
				client.get(300, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
			app.get().close();
		}
		int doublePaid = 0;
		int answeredWithoutPayment = 0;
		int responseLost = 0;
		int responseLostWithoutPayment = 0;
		int answeredUnpaid = 0;
		for (String ref : refs) {
			int payments = jdbc.queryForObject("SELECT COUNT(*) FROM payments WHERE ref = ?", Integer.class, ref);
			Integer status = answers.get(ref);
			assertThat(status).as("the answer for %s", ref).isNotNull();
			doublePaid += (payments > 1) ? 1 : 0;
			answeredWithoutPayment += (status / 100 == 2 && payments != 1) ? 1 : 0;
			responseLost += (status == 410) ? 1 : 0;
			responseLostWithoutPayment += (status == 410 && payments != 1) ? 1 : 0;
			answeredUnpaid += (status / 100 == 2 && payments == 0) ? 1 : 0;
		}
		return new Run(KEYS, kills, doublePaid, answeredWithoutPayment, answeredUnpaid, responseLost,
				responseLostWithoutPayment);
	}

	private static RunningProcessApp start(int port, List<String> arguments) {
		return RunningProcessApp.start(PaymentsApplication.class, System.getProperty("java.class.path"), port,
				List.of("payments.jitter-ms=40", "payments.observe-commits=false"), arguments.toArray(String[]::new));
	}

	/**
	 * Sends each key until it gets a final answer: a 2xx, or 410 (it took effect, its
	 * response was lost); a refused connection, a 409 or a 503 is retried with the same
	 * key.
	 */
	private static void retryUntilAnswered(TestHttp http, List<String> refs, Map<String, Integer> answers,
			long deadline) {
		for (String ref : refs) {
			while (!answers.containsKey(ref) && System.nanoTime() - deadline < 0) {
				int status;
				try {
					HttpResponse<byte[]> response = http.post("/payments", ref,
							"{\"ref\":\"" + ref + "\",\"amount\":1}");
					status = response.statusCode();
				}
				catch (IllegalStateException connectionLost) {
					status = 0;
				}
				if (status / 100 == 2 || status == 410) {
					answers.put(ref, status);
				}
				else {
					pauseBeforeRetry();
				}
			}
		}
	}

	/** A client's back-off before it sends the same key again; nothing waits on it. */
	private static void pauseBeforeRetry() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	record Run(int keys, int kills, int doublePaid, int answeredWithoutPayment, int answeredUnpaid, int responseLost,
			int responseLostWithoutPayment) {

		@Override
		public String toString() {
			return this.keys + " keys, " + this.kills + " kills: " + this.doublePaid + " paid twice, "
					+ this.answeredWithoutPayment + " answered 2xx without exactly one payment, " + this.responseLost
					+ " answered 410 response-lost (" + this.responseLostWithoutPayment
					+ " of them without exactly one payment)";
		}

	}

}
