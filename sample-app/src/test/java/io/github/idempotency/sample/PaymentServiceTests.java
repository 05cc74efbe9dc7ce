package io.github.idempotency.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PaymentServiceTests {

	private static PaymentService service(int kept) {
		SampleProperties properties = new SampleProperties(Duration.ZERO, kept, null, null);
		// receipts are off: the events never ask for RabbitMQ
		return new PaymentService(properties, new PaymentEvents(properties, null));
	}

	@Test
	void keepsEveryPaymentByDefault() {
		PaymentService payments = service(0);
		for (int i = 0; i < 5; i++) {
			payments.create(new PaymentRequest(100L + i, "eur"));
		}
		assertThat(payments.findAll()).extracting(Payment::amount).containsExactly(100L, 101L, 102L, 103L, 104L);
	}

	@Test
	void keepsOnlyTheLatestPaymentsWhenBounded() {
		PaymentService payments = service(2);
		Payment third = null;
		for (int i = 0; i < 5; i++) {
			Payment created = payments.create(new PaymentRequest(100L + i, "eur"));
			third = (i == 2) ? created : third;
		}
		assertThat(payments.findAll()).extracting(Payment::amount).containsExactly(103L, 104L);
		assertThat(payments.find(third.id())).isEmpty();
	}

	@Test
	void aNegativeBoundIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new SampleProperties(Duration.ZERO, -1, null, null))
			.withMessageContaining("sample.payments-kept");
	}

}
