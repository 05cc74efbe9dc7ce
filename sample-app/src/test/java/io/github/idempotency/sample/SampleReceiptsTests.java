package io.github.idempotency.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import io.github.idempotency.testsupport.RabbitVirtualHost;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's receipts consumer on the machine's RabbitMQ, in a virtual host of its own:
 * a created payment publishes its event, and the consumer writes one receipt per payment
 * however often the event arrives.
 */
class SampleReceiptsTests {

	private static RabbitVirtualHost virtualHost;

	private static ConfigurableApplicationContext application;

	private static int port;

	private final HttpClient client = HttpClient.newHttpClient();

	@BeforeAll
	static void start() {
		virtualHost = RabbitVirtualHost.create();
		application = SpringApplication.run(SampleApplication.class, "--server.port=0", "--spring.main.banner-mode=off",
				"--sample.receipts.enabled=true", "--spring.rabbitmq.virtual-host=" + virtualHost.name());
		port = application.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@AfterAll
	static void stop() {
		application.close();
		virtualHost.close();
	}

	@Test
	void aPaymentWhoseEventArrivesThreeTimesHasOneReceipt() throws Exception {
		String key = UUID.randomUUID().toString();
		HttpResponse<String> created = post(key);
		HttpResponse<String> replayed = post(key);
		String paymentId = JsonPath.read(created.body(), "$.id");
		assertThat(replayed.body()).isEqualTo(created.body());

		RabbitTemplate rabbit = application.getBean(RabbitTemplate.class);
		PaymentCreated event = new PaymentCreated(paymentId, 1000, "EUR");
		rabbit.convertAndSend(Receipts.QUEUE, event);
		rabbit.convertAndSend(Receipts.QUEUE, event);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.outcomes("replayed") >= 2 && receiptsFor(paymentId) == 1);
		assertThat(receiptsFor(paymentId)).isEqualTo(1);
	}

	private double outcomes(String outcome) {
		var counter = application.getBean(MeterRegistry.class)
			.find("idempotency.requests")
			.tag("outcome", outcome)
			.tag("endpoint", "Receipts#onPaymentCreated")
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private int receiptsFor(String paymentId) throws Exception {
		String receipts = this.client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/receipts")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
		return JsonPath.<List<?>>read(receipts, "$[?(@.paymentId == '" + paymentId + "')]").size();
	}

	private HttpResponse<String> post(String key) throws Exception {
		return this.client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/payments"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", key)
			.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1000,\"currency\":\"EUR\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
