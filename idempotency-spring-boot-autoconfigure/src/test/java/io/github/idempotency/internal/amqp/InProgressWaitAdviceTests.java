package io.github.idempotency.internal.amqp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.idempotency.IdempotencyInProgressException;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The RabbitMQ advice on its own, around a proxy as listener containers build it: it
 * tries a delivery whose key is in flight again until it ends, requeues it once it waited
 * too long or the consumer stops, and lets every other exception through at once.
 */
class InProgressWaitAdviceTests {

	private final AtomicInteger calls = new AtomicInteger();

	@Test
	void aDeliveryInFlightIsTriedAgainUntilTheFirstDeliveryEnded() {
		Delivery delivery = proxy(
				new InProgressWaitAdvice(Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(30)), () -> {
					if (this.calls.incrementAndGet() < 5) {
						throw inProgress();
					}
					return "replayed";
				});
		assertThat(delivery.handle()).isEqualTo("replayed");
		assertThat(this.calls).hasValue(5);
	}

	@Test
	void aDeliveryStillInFlightAfterTheLongestWaitIsRequeuedWhateverTheContainerSays() {
		Delivery delivery = proxy(
				new InProgressWaitAdvice(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(20)), () -> {
					this.calls.incrementAndGet();
					throw new IllegalStateException("listener failed", inProgress());
				});
		assertThatExceptionOfType(ImmediateRequeueAmqpException.class).isThrownBy(delivery::handle)
			.withMessageContaining("Requeued after waiting")
			.withMessageContaining("still in progress");
		assertThat(this.calls.get()).isGreaterThan(1);
	}

	@Test
	void aConsumerStoppedWhileWaitingRequeuesTheDelivery() {
		Delivery delivery = proxy(
				new InProgressWaitAdvice(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMinutes(1)), () -> {
					Thread.currentThread().interrupt();
					throw inProgress();
				});
		assertThatExceptionOfType(ImmediateRequeueAmqpException.class).isThrownBy(delivery::handle)
			.withMessageContaining("stopped");
		assertThat(Thread.interrupted()).isTrue();
	}

	@Test
	void anyOtherExceptionPassesAtOnce() {
		Delivery delivery = proxy(
				new InProgressWaitAdvice(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(30)), () -> {
					this.calls.incrementAndGet();
					throw new IllegalStateException("a bug");
				});
		assertThatIllegalStateException().isThrownBy(delivery::handle).withMessage("a bug");
		assertThat(this.calls).hasValue(1);
	}

	private static IdempotencyInProgressException inProgress() {
		return new IdempotencyInProgressException("Listener#on", "scope", Duration.ofSeconds(1));
	}

	private static Delivery proxy(InProgressWaitAdvice advice, Delivery target) {
		ProxyFactory factory = new ProxyFactory(target);
		factory.setInterfaces(Delivery.class);
		factory.addAdvice(advice);
		return (Delivery) factory.getProxy();
	}

	interface Delivery {

		String handle();

	}

}
