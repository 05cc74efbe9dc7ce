package io.github.idempotency.internal.method;

import java.util.Locale;

import io.github.idempotency.Idempotent;

/**
 * Two consumers of the same message, each with its own records (the scope is the bean's
 * class), and a method both share a scope in. The annotations are inherited from one base
 * class, as listeners generated from a template have them.
 */
public abstract class Consumers {

	private final Calls calls;

	Consumers(Calls calls) {
		this.calls = calls;
	}

	@Idempotent(key = "#event.paymentId")
	public String onPayment(PaymentEvent event) {
		return run("", event);
	}

	@Idempotent(key = "#event.paymentId", scope = "payment-effects")
	public String shared(PaymentEvent event) {
		return run("-shared", event);
	}

	private String run(String suffix, PaymentEvent event) {
		String name = getClass().getSimpleName().toLowerCase(Locale.ROOT) + suffix;
		return name + " " + this.calls.record(name, event.paymentId());
	}

	public static class Audit extends Consumers {

		public Audit(Calls calls) {
			super(calls);
		}

	}

	public static class Email extends Consumers {

		public Email(Calls calls) {
			super(calls);
		}

	}

}
