package io.github.idempotency.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import io.github.idempotency.testsupport.DroppingProxy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's checkout pays through {@code POST /payments} of another instance, with the
 * client half, over a network that loses the first two answers after the payment was
 * made: the checkout answers with the first payment, replayed, and the payments instance
 * made one.
 */
class SampleCheckoutTests {

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void aCheckoutWhoseAnswersGetLostMakesOnePayment() throws Exception {
		try (ConfigurableApplicationContext payments = start("--server.port=0");
				DroppingProxy network = DroppingProxy.to(URI.create("http://127.0.0.1:" + port(payments)));
				ConfigurableApplicationContext checkout = start("--server.port=0",
						"--sample.checkout.payments-url=" + network.uri(),
						"--idempotency.client.initial-backoff=50ms")) {
			network.dropAnswers(2);
			HttpResponse<String> paid = this.client
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(checkout) + "/checkout"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":2500,\"currency\":\"EUR\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());

			assertThat(paid.statusCode()).isEqualTo(201);
			assertThat(paid.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			String made = this.client
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(payments) + "/payments")).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
			assertThat(JsonPath.<List<Object>>read(made, "$")).hasSize(1);
			assertThat(made).contains(JsonPath.<String>read(paid.body(), "$.id"));
			assertThat(network.keys()).hasSize(3).containsOnly(network.keys().get(0));
		}
	}

	private static ConfigurableApplicationContext start(String... arguments) {
		String[] all = new String[arguments.length + 1];
		all[0] = "--spring.main.banner-mode=off";
		System.arraycopy(arguments, 0, all, 1, arguments.length);
		return SpringApplication.run(SampleApplication.class, all);
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
