package io.github.idempotency.testapp;

import io.github.idempotency.Idempotent;

/**
 * A service with an idempotent method off the web, called by {@link EventsController}.
 */
public class EventReceipts {

	private final Executions executions;

	private final Gate gate;

	public EventReceipts(Executions executions, Gate gate) {
		this.executions = executions;
		this.gate = gate;
	}

	@Idempotent(key = "#paymentId")
	public String receipt(String paymentId) throws InterruptedException {
		int number = this.executions.record("receipt");
		Thread.sleep(50); // the work the receipt takes, so that duplicates overlap it
		return "receipt " + number + " for " + paymentId;
	}

	@Idempotent(key = "#paymentId", fingerprint = "#amount")
	public String charge(String paymentId, long amount) throws InterruptedException {
		int number = this.executions.record("charge");
		if (amount == 0) {
			this.gate.pass();
		}
		return "charge " + number + " of " + amount;
	}

}
