package io.github.idempotency.kafka;

import java.time.Duration;

import io.github.idempotency.IdempotencyInProgressException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka back-off: exponential and without end for a record whose key is in flight,
 * however deeply the container wrapped the exception; the handler's own back-off for
 * anything else.
 */
class InProgressBackOffFunctionTests {

	private final InProgressBackOffFunction function = new InProgressBackOffFunction(Duration.ofMillis(100),
			Duration.ofSeconds(1));

	private final ConsumerRecord<?, ?> record = new ConsumerRecord<>("payments", 0, 7, "pay-1", "pay-1");

	@Test
	void aRecordInFlightBacksOffExponentiallyUpToTheLongestPauseAndNeverGivesUp() {
		BackOff backOff = this.function.apply(this.record, new ListenerExecutionFailedException("listener failed",
				new IdempotencyInProgressException("Listener#on", "scope", Duration.ofSeconds(30))));
		BackOffExecution execution = backOff.start();
		assertThat(execution.nextBackOff()).isEqualTo(100);
		assertThat(execution.nextBackOff()).isEqualTo(200);
		assertThat(execution.nextBackOff()).isEqualTo(400);
		assertThat(execution.nextBackOff()).isEqualTo(800);
		for (int i = 0; i < 10_000; i++) {
			assertThat(execution.nextBackOff()).isEqualTo(1000);
		}
	}

	@Test
	void anyOtherFailureKeepsTheHandlersOwnBackOff() {
		assertThat(this.function.apply(this.record, new IllegalStateException("a bug"))).isNull();
	}

}
