package io.github.idempotency.sample;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * Creates and lists payments, in memory. Creating one takes {@code sample.payment-delay}
 * and publishes a {@link PaymentCreated} event when the receipts consumer is on.
 */
@Service
public class PaymentService {

	private final Map<Long, Payment> payments = new ConcurrentSkipListMap<>();

	private final AtomicLong sequence = new AtomicLong();

	private final Duration delay;

	private final int kept;

	private final PaymentEvents events;

	PaymentService(SampleProperties properties, PaymentEvents events) {
		this.delay = properties.paymentDelay();
		this.kept = properties.paymentsKept();
		this.events = events;
	}

	/**
	 * Creates a payment and announces it. Ids are unique across instances (a random
	 * part), as the receipts consumer's idempotency key must be.
	 */
	Payment create(PaymentRequest request) {
		simulateWork();
		return record(request);
	}

	/**
	 * Creates a payment once {@code sample.payment-delay} has passed, without holding a
	 * thread meanwhile: for the reactive stack.
	 */
	Mono<Payment> createLater(PaymentRequest request) {
		Mono<Payment> created = Mono.fromSupplier(() -> record(request));
		return (this.delay.isZero() || this.delay.isNegative()) ? created : Mono.delay(this.delay).then(created);
	}

	private Payment record(PaymentRequest request) {
		long number = this.sequence.incrementAndGet();
		String id = "pay_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		Payment payment = new Payment(id, request.amount(), request.currency().toUpperCase(Locale.ROOT), "succeeded");
		this.payments.put(number, payment);
		if (this.kept > 0) {
			this.payments.remove(number - this.kept);
		}
		this.events.created(payment);
		return payment;
	}

	List<Payment> findAll() {
		return List.copyOf(this.payments.values());
	}

	Optional<Payment> find(String id) {
		return this.payments.values().stream().filter((payment) -> payment.id().equals(id)).findFirst();
	}

	private void simulateWork() {
		if (this.delay.isZero() || this.delay.isNegative()) {
			return;
		}
		try {
			Thread.sleep(this.delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating a payment", ex);
		}
	}

}
