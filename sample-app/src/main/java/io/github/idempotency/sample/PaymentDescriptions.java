package io.github.idempotency.sample;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;

/**
 * The descriptions of payments, in memory, changed only by a caller who names the version
 * it read (optimistic concurrency): two callers who read the same version cannot both
 * change it.
 */
@Service
class PaymentDescriptions {

	private final Map<String, PaymentDescription> descriptions = new ConcurrentHashMap<>();

	private final PaymentService payments;

	PaymentDescriptions(PaymentService payments) {
		this.payments = payments;
	}

	/**
	 * @param paymentId a payment
	 * @return its description, or empty when there is no such payment
	 */
	Optional<PaymentDescription> find(String paymentId) {
		return this.payments.find(paymentId)
			.map((payment) -> this.descriptions.getOrDefault(paymentId, new PaymentDescription(paymentId, "", 0)));
	}

	/**
	 * Changes a description if it is still at the version the caller read.
	 * @param current the description the caller read
	 * @param text the new text
	 * @return the new description, or empty when another change came first
	 */
	Optional<PaymentDescription> replace(PaymentDescription current, String text) {
		PaymentDescription next = new PaymentDescription(current.paymentId(), text, current.version() + 1);
		PaymentDescription now = this.descriptions.compute(current.paymentId(), (id, stored) -> {
			long version = (stored != null) ? stored.version() : 0;
			return (version == current.version()) ? next : stored;
		});
		return (now == next) ? Optional.of(next) : Optional.empty();
	}

}
