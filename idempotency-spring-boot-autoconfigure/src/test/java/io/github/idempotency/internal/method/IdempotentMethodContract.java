package io.github.idempotency.internal.method;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.idempotency.IdempotencyInProgressException;
import io.github.idempotency.IdempotencyKeyReusedException;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.testapp.Gate;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The semantics of {@code @Idempotent(key = ...)} on plain beans, one test per line of
 * the documentation's table, in an application that is not a web application. Each store
 * runs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdempotentMethodContract {

	private ConfigurableApplicationContext context;

	/**
	 * @return the settings that choose and configure the store
	 */
	abstract String[] storeProperties();

	@BeforeAll
	void start() {
		// a renewal limit shorter than the slowest test call: a call that outlives it
		// loses its
		// claim, as a hung call does
		String[] store = storeProperties();
		String[] properties = java.util.Arrays.copyOf(store, store.length + 1);
		properties[store.length] = "idempotency.renewal-limit=1s";
		this.context = MethodTestApplication.start(properties);
	}

	@AfterAll
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
	}

	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	ReceiptService receipts() {
		return this.context.getBean(ReceiptService.class);
	}

	Calls calls() {
		return this.context.getBean(Calls.class);
	}

	double count(String outcome, String endpoint) {
		var counter = this.context.getBean(MeterRegistry.class)
			.find("idempotency.requests")
			.tag("outcome", outcome)
			.tag("endpoint", endpoint)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	static String newId() {
		return UUID.randomUUID().toString();
	}

	@Test
	void aNewKeyRunsTheMethodAndARepeatedKeyReturnsTheStoredValueWithoutRunningIt() {
		PaymentEvent event = new PaymentEvent(newId(), 4999);
		double executed = count("executed", "ReceiptService#record");
		double replayed = count("replayed", "ReceiptService#record");

		Receipt first = receipts().record(event);
		Receipt second = receipts().record(event);
		Receipt third = receipts().record(event);

		assertThat(calls().count("record", event.paymentId())).isEqualTo(1);
		assertThat(second).isEqualTo(first).isNotSameAs(first);
		assertThat(third).isEqualTo(first);
		assertThat(first.issued()).isEqualTo(Instant.parse("2026-11-30T10:15:30.123456789Z"));
		assertThat(first.lines()).extracting(Receipt.Line::text).containsExactly("book", "ünïcødé ✓");
		assertThat(count("executed", "ReceiptService#record") - executed).isEqualTo(1);
		assertThat(count("replayed", "ReceiptService#record") - replayed).isEqualTo(2);
	}

	@Test
	void genericReturnTypesAreReadBackExactlyAsDeclared() {
		String id = newId();
		List<Receipt> list = receipts().list(id);
		Map<String, Long> totals = receipts().totals(id);

		assertThat(receipts().list(id)).isEqualTo(list)
			.hasSize(2)
			.allSatisfy((r) -> assertThat(r).isInstanceOf(Receipt.class));
		assertThat(receipts().totals(id)).isEqualTo(totals)
			.containsEntry("USD", Long.MAX_VALUE)
			.allSatisfy((currency, amount) -> assertThat(amount).isInstanceOf(Long.class));
		assertThat(calls().count("list", id)).isEqualTo(1);
		assertThat(calls().count("totals", id)).isEqualTo(1);
	}

	@Test
	void plainValuesNeedNoMapperAndComeBackIdentical() {
		String id = newId();
		String text = receipts().text(id);
		byte[] bytes = receipts().bytes(id);
		long number = receipts().number(id);
		boolean flag = receipts().flag(id);
		receipts().touch(id);

		assertThat(receipts().text(id)).isEqualTo(text).isEqualTo("text ünïcødé 1");
		assertThat(receipts().bytes(id)).isEqualTo(bytes).containsExactly(0, 0xFF, 1);
		assertThat(receipts().number(id)).isEqualTo(number).isEqualTo(1_000_000_000_001L);
		assertThat(receipts().flag(id)).isEqualTo(flag).isTrue();
		receipts().touch(id);
		for (String method : new String[] { "text", "bytes", "number", "flag", "touch" }) {
			assertThat(calls().count(method, id)).as(method).isEqualTo(1);
		}
	}

	@Test
	void aNullReturnValueIsStoredAsNull() {
		String id = newId();
		assertThat(receipts().nothing(id)).isNull();
		assertThat(receipts().nothing(id)).isNull();
		assertThat(calls().count("nothing", id)).isEqualTo(1);
	}

	@Test
	void aKeyInFlightThrowsInProgressWithItsScopeAndHowLongItsClaimLives() throws Exception {
		Gate gate = this.context.getBean(Gate.class);
		gate.close();
		String id = newId();
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> call(() -> receipts().held(id)));
		try {
			gate.awaitEntered();
			assertThatExceptionOfType(IdempotencyInProgressException.class).isThrownBy(() -> receipts().held(id))
				.satisfies((ex) -> {
					assertThat(ex.getScope()).isEqualTo(ReceiptService.class.getName() + "#held");
					assertThat(ex.getExpiresIn()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
				});
		}
		finally {
			gate.open();
		}
		assertThat(first.get()).isEqualTo("held 1");
		assertThat(receipts().held(id)).isEqualTo("held 1");
		assertThat(calls().count("held", id)).isEqualTo(1);
	}

	@Test
	void aCallerOfAKeyInFlightWaitsForItsValueWhenTheMethodSaysSo() throws Exception {
		Gate gate = this.context.getBean(Gate.class);
		gate.close();
		String id = newId();
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> call(() -> receipts().heldWaiting(id)));
		CompletableFuture<String> waiting;
		try {
			gate.awaitEntered();
			waiting = CompletableFuture.supplyAsync(() -> call(() -> receipts().heldWaiting(id)));
			await("the second caller waits").atMost(Duration.ofSeconds(30))
				.until(() -> waitingNow("ReceiptService#heldWaiting") == 1);
			assertThat(waiting).isNotDone();
		}
		finally {
			gate.open();
		}
		assertThat(first.get()).isEqualTo("held 1");
		assertThat(waiting.get()).isEqualTo("held 1");
		assertThat(calls().count("held", id)).isEqualTo(1);
		assertThat(count("replayed", "ReceiptService#heldWaiting")).isPositive();
	}

	double waitingNow(String endpoint) {
		var gauge = this.context.getBean(MeterRegistry.class)
			.find("idempotency.waiting")
			.tag("endpoint", endpoint)
			.gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	@Test
	void aMethodThatThrowsReleasesItsKeyAndTheSameExceptionPropagates() throws IOException {
		String id = newId();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> receipts().failsFirst(id))
			.withMessage("first attempt fails");
		assertThat(receipts().failsFirst(id)).isEqualTo("second attempt");
		assertThat(receipts().failsFirst(id)).isEqualTo("second attempt");
		assertThat(calls().count("failsFirst", id)).isEqualTo(2);
	}

	@Test
	void theSameKeyWithAnotherFingerprintIsAReusedKey() {
		String id = newId();
		Receipt first = receipts().charge(new PaymentEvent(id, 100));
		assertThat(receipts().charge(new PaymentEvent(id, 100))).isEqualTo(first);
		assertThatExceptionOfType(IdempotencyKeyReusedException.class)
			.isThrownBy(() -> receipts().charge(new PaymentEvent(id, 200)))
			.satisfies((ex) -> assertThat(ex.getScope()).isEqualTo(ReceiptService.class.getName() + "#charge"));
		assertThat(calls().count("charge", id)).isEqualTo(1);
		assertThat(count("mismatch", "ReceiptService#charge")).isPositive();
	}

	@Test
	void aWholeObjectAsFingerprintComparesItsJson() {
		String id = newId();
		int first = receipts().chargeWhole(new PaymentEvent(id, 100));
		assertThat(receipts().chargeWhole(new PaymentEvent(id, 100))).isEqualTo(first);
		assertThatExceptionOfType(IdempotencyKeyReusedException.class)
			.isThrownBy(() -> receipts().chargeWhole(new PaymentEvent(id, 101)));
		assertThat(calls().count("chargeWhole", id)).isEqualTo(1);
	}

	@Test
	void withoutAFingerprintTheKeyAloneDecides() {
		String id = newId();
		Receipt first = receipts().record(new PaymentEvent(id, 100));
		assertThat(receipts().record(new PaymentEvent(id, 999))).isEqualTo(first);
		assertThat(calls().count("record", id)).isEqualTo(1);
	}

	@Test
	void aNullKeyThrowsNamingTheMethodAndTheExpressionAndNothingRuns() {
		double rejected = count("rejected", "ReceiptService#nullable");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> receipts().nullable(null))
			.withMessageContaining("@Idempotent(key = \"#event?.paymentId\")")
			.withMessageContaining(ReceiptService.class.getName() + ".nullable()")
			.withMessageContaining("null");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> receipts().nullable(new PaymentEvent("  ", 1)))
			.withMessageContaining("blank");
		assertThat(count("rejected", "ReceiptService#nullable") - rejected).isEqualTo(2);
	}

	@Test
	void aStoredValueOfAnotherReturnTypeIsUnreadableAndNothingRuns() {
		String id = newId();
		double errors = count("store_error", "ReceiptService#after");
		receipts().before(id);
		assertThatExceptionOfType(IdempotencyRecordException.class).isThrownBy(() -> receipts().after(id))
			.withMessageContaining("ReceiptService#after")
			.withMessageContaining("the method did not run");
		assertThat(calls().count("after", id)).isZero();
		assertThat(count("store_error", "ReceiptService#after") - errors).isEqualTo(1);
		assertThat(count("replayed", "ReceiptService#after")).isZero();
	}

	@Test
	void twoConsumersOfOneMessageEachRunOnceAndASharedScopeRunsOnceForBoth() {
		PaymentEvent event = new PaymentEvent(newId(), 10);
		Consumers.Audit audit = this.context.getBean(Consumers.Audit.class);
		Consumers.Email email = this.context.getBean(Consumers.Email.class);
		for (int i = 0; i < 3; i++) {
			assertThat(audit.onPayment(event)).isEqualTo("audit 1");
			assertThat(email.onPayment(event)).isEqualTo("email 1");
		}
		String shared = audit.shared(event);
		assertThat(email.shared(event)).isEqualTo(shared).isEqualTo("audit-shared 1");
		assertThat(calls().count("email-shared", event.paymentId())).isZero();
	}

	@Test
	void aStoredValueExpiresAfterItsTtl() {
		String id = newId();
		assertThat(receipts().shortLived(id)).isEqualTo("run 1");
		await().atMost(Duration.ofSeconds(10)).until(() -> receipts().shortLived(id).equals("run 2"));
	}

	@Test
	void aCallThatOutlivesItsClaimDoesNotOverwriteTheNewerRecord() throws Exception {
		Gate gate = this.context.getBean(Gate.class);
		gate.close();
		String id = newId();
		double lost = count("lost_claim", "ReceiptService#outlivesItsClaim");
		CompletableFuture<String> slow = CompletableFuture
			.supplyAsync(() -> call(() -> receipts().outlivesItsClaim(id)));
		gate.awaitEntered();
		String newer = await().atMost(Duration.ofSeconds(10))
			.ignoreException(IdempotencyInProgressException.class)
			.until(() -> receipts().outlivesItsClaim(id), (value) -> value != null);
		gate.open();
		assertThat(slow.get()).isEqualTo("run 1");
		assertThat(newer).isEqualTo("run 2");
		assertThat(receipts().outlivesItsClaim(id)).isEqualTo("run 2");
		assertThat(count("lost_claim", "ReceiptService#outlivesItsClaim") - lost).isEqualTo(1);
	}

	@Test
	void sixteenThreadsCallingOneKeyAtOnceRunTheBodyOnce() throws Exception {
		PaymentEvent event = new PaymentEvent(newId(), 4999);
		ExecutorService executor = Executors.newFixedThreadPool(16);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Callable<Object>> callers = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				callers.add(() -> {
					start.await();
					try {
						return receipts().record(event);
					}
					catch (IdempotencyInProgressException ex) {
						return ex;
					}
				});
			}
			List<Future<Object>> futures = callers.stream().map(executor::submit).toList();
			start.countDown();
			List<Object> outcomes = new ArrayList<>();
			for (Future<Object> future : futures) {
				outcomes.add(future.get());
			}
			assertThat(calls().count("record", event.paymentId())).isEqualTo(1);
			Receipt stored = receipts().record(event);
			assertThat(outcomes)
				.allSatisfy((outcome) -> assertThat(outcome).satisfiesAnyOf((o) -> assertThat(o).isEqualTo(stored),
						(o) -> assertThat(o).isInstanceOf(IdempotencyInProgressException.class)));
		}
		finally {
			executor.shutdownNow();
		}
	}

	static <T> T call(Callable<T> call) {
		try {
			return call.call();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
