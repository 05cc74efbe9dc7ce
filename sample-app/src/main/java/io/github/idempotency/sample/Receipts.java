package io.github.idempotency.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.idempotency.Idempotent;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.converter.SimpleMessageConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The receipts consumer: one receipt per created payment, however often RabbitMQ delivers
 * its event. Off unless {@code sample.receipts.enabled=true}, so the sample starts
 * without a broker.
 */
@Component
public class Receipts {

	/** The queue payment events go to. */
	public static final String QUEUE = "sample.receipts";

	private final Map<Long, Receipt> receipts = new ConcurrentSkipListMap<>();

	private final AtomicLong sequence = new AtomicLong();

	/**
	 * Writes the receipt of a payment: once per payment id, also when the event comes
	 * again.
	 * @param event the payment's event
	 * @return the receipt
	 */
	@RabbitListener(queues = QUEUE, autoStartup = "${sample.receipts.enabled:false}")
	@Idempotent(key = "#event.paymentId")
	public Receipt onPaymentCreated(PaymentCreated event) {
		long number = this.sequence.incrementAndGet();
		Receipt receipt = new Receipt("rcpt_" + number, event.paymentId(), event.amount(), event.currency());
		this.receipts.put(number, receipt);
		return receipt;
	}

	/**
	 * @return every receipt this instance wrote
	 */
	public List<Receipt> all() {
		return List.copyOf(this.receipts.values());
	}

	/**
	 * A receipt.
	 *
	 * @param id the receipt's id
	 * @param paymentId the payment it is for
	 * @param amount the amount
	 * @param currency the currency
	 */
	public record Receipt(String id, String paymentId, long amount, String currency) {
	}

	@RestController
	static class ReceiptsController {

		private final Receipts receipts;

		ReceiptsController(Receipts receipts) {
			this.receipts = receipts;
		}

		@GetMapping("/receipts")
		List<Receipt> list() {
			return this.receipts.all();
		}

	}

	/** The queue, and events as Java objects of this application only. */
	@Configuration(proxyBeanMethods = false)
	static class Messaging {

		@Bean
		Queue receiptsQueue() {
			return new Queue(QUEUE, false);
		}

		@Bean
		SimpleMessageConverter paymentEventConverter() {
			SimpleMessageConverter converter = new SimpleMessageConverter();
			converter.setAllowedListPatterns(List.of(PaymentCreated.class.getName(), "java.lang.*"));
			return converter;
		}

	}

}
