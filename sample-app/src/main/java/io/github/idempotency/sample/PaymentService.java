package io.github.idempotency.sample;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Service;

/**
 * Creates and lists payments, in memory. Creating one takes {@code sample.payment-delay}.
 */
@Service
public class PaymentService {

	private final Map<Long, Payment> payments = new ConcurrentSkipListMap<>();

	private final AtomicLong sequence = new AtomicLong();

	private final Duration delay;

	PaymentService(SampleProperties properties) {
		this.delay = properties.paymentDelay();
	}

	Payment create(PaymentRequest request) {
		simulateWork();
		long number = this.sequence.incrementAndGet();
		Payment payment = new Payment("pay_" + number, request.amount(), request.currency().toUpperCase(Locale.ROOT),
				"succeeded");
		this.payments.put(number, payment);
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
