package io.github.idempotency.internal.method;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.idempotency.Idempotent;
import io.github.idempotency.testapp.Gate;

/**
 * Idempotent service methods for every line of the semantics: each counts how often its
 * body really ran.
 */
public class ReceiptService {

	private final Calls calls;

	private final Gate gate;

	public ReceiptService(Calls calls, Gate gate) {
		this.calls = calls;
		this.gate = gate;
	}

	@Idempotent(key = "#event.paymentId")
	public Receipt record(PaymentEvent event) {
		int number = this.calls.record("record", event.paymentId());
		return new Receipt(event.paymentId(), number, event.amount(), Instant.parse("2026-11-30T10:15:30.123456789Z"),
				List.of(new Receipt.Line("book", 1999), new Receipt.Line("ünïcødé ✓", event.amount() - 1999)));
	}

	@Idempotent(key = "#event.paymentId", fingerprint = "#event.amount")
	public Receipt charge(PaymentEvent event) {
		int number = this.calls.record("charge", event.paymentId());
		return new Receipt(event.paymentId(), number, event.amount(), Instant.EPOCH, List.of());
	}

	@Idempotent(key = "#event.paymentId", fingerprint = "#event")
	public int chargeWhole(PaymentEvent event) {
		return this.calls.record("chargeWhole", event.paymentId());
	}

	@Idempotent(key = "#id")
	public List<Receipt> list(String id) {
		int number = this.calls.record("list", id);
		return List.of(new Receipt(id, number, 1, Instant.EPOCH, List.of()),
				new Receipt(id, number, 2, null, List.of()));
	}

	@Idempotent(key = "#p0")
	public Map<String, Long> totals(String id) {
		int number = this.calls.record("totals", id);
		return Map.of("EUR", 100L * number, "USD", Long.MAX_VALUE);
	}

	@Idempotent(key = "#a0")
	public String text(String id) {
		return "text ünïcødé " + this.calls.record("text", id);
	}

	@Idempotent(key = "#root.args[0]")
	public byte[] bytes(String id) {
		return new byte[] { 0, (byte) 0xFF, (byte) this.calls.record("bytes", id) };
	}

	@Idempotent(key = "#id")
	public long number(String id) {
		return 1_000_000_000_000L + this.calls.record("number", id);
	}

	@Idempotent(key = "#id")
	public boolean flag(String id) {
		return this.calls.record("flag", id) == 1;
	}

	@Idempotent(key = "#id")
	public void touch(String id) {
		this.calls.record("touch", id);
	}

	@Idempotent(key = "#id")
	public Receipt nothing(String id) {
		this.calls.record("nothing", id);
		return null;
	}

	@Idempotent(key = "#id")
	public String failsFirst(String id) throws IOException {
		if (this.calls.record("failsFirst", id) == 1) {
			throw new IOException("first attempt fails");
		}
		return "second attempt";
	}

	@Idempotent(key = "#id", lockTimeout = "30s")
	public String held(String id) throws InterruptedException {
		int number = this.calls.record("held", id);
		this.gate.pass();
		return "held " + number;
	}

	@Idempotent(key = "#id", waitForInProgress = "10s")
	public String heldWaiting(String id) throws InterruptedException {
		return held(id);
	}

	@Idempotent(key = "#id", lockTimeout = "200ms")
	public String outlivesItsClaim(String id) throws InterruptedException {
		int number = this.calls.record("outlivesItsClaim", id);
		if (number == 1) {
			this.gate.pass();
		}
		return "run " + number;
	}

	@Idempotent(key = "#id", ttl = "300ms")
	public String shortLived(String id) {
		return "run " + this.calls.record("shortLived", id);
	}

	@Idempotent(key = "#id", scope = "return-type-changed")
	public String before(String id) {
		return "text " + this.calls.record("before", id);
	}

	@Idempotent(key = "#id", scope = "return-type-changed")
	public Receipt after(String id) {
		this.calls.record("after", id);
		return new Receipt(id, 1, 1, null, List.of());
	}

	@Idempotent(key = "#event?.paymentId")
	public String nullable(PaymentEvent event) {
		return "ran";
	}

}
