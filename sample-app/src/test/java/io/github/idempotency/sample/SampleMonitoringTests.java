package io.github.idempotency.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.github.idempotency.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard and the alert rules under {@code monitoring/} query only meters that
 * exist: the sample app, started with its {@code operations} profile, serves real traffic
 * (payments, a duplicate that waits for the first, a replay, a payment slower than a
 * third of its lock timeout so its claim is renewed, a checkout through the client half,
 * an eviction through the idempotency endpoint), and every metric name either file names
 * appears in {@code /actuator/prometheus}.
 */
class SampleMonitoringTests {

	private static final Pattern METRIC = Pattern.compile("idempotency_[a-z_]+");

	private static final String PAYMENT = "{\"amount\":2500,\"currency\":\"EUR\"}";

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Test
	void everyMetricTheDashboardAndTheAlertsQueryExistsAfterRealTraffic() throws Exception {
		Set<String> queried = queriedMetrics();
		assertThat(queried).contains("idempotency_requests_total", "idempotency_store_seconds_count",
				"idempotency_renewals_total", "idempotency_evictions_total", "idempotency_client_requests_total",
				"idempotency_waiting", "idempotency_waits_seconds_count");
		int port = RedisServerProcess.freePort();
		try (ConfigurableApplicationContext sample = SpringApplication.run(SampleApplication.class,
				"--spring.main.banner-mode=off", "--server.port=" + port, "--spring.profiles.active=operations",
				"--sample.payment-delay=1500ms", "--idempotency.lock-timeout=1500ms",
				"--sample.checkout.payments-url=http://127.0.0.1:" + port)) {
			String key = UUID.randomUUID().toString();
			CompletableFuture<HttpResponse<String>> running = this.client.sendAsync(
					post(port, "/payments", key).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
			HttpResponse<String> waited = send(post(port, "/payments", key));
			HttpResponse<String> first = running.get(30, TimeUnit.SECONDS);
			HttpResponse<String> replay = send(post(port, "/payments", key));
			assertThat(first.statusCode()).isEqualTo(201);
			assertThat(waited.body()).isEqualTo(first.body());
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			assertThat(send(post(port, "/checkout", null)).statusCode()).isEqualTo(201);
			HttpResponse<String> evicted = send(
					HttpRequest.newBuilder(uri(port, "/actuator/idempotency?key=" + key)).DELETE());
			assertThat(evicted.body()).contains("\"evicted\":true");

			String scraped = send(HttpRequest.newBuilder(uri(port, "/actuator/prometheus")).GET()).body();

			assertThat(queried).allSatisfy(
					(metric) -> assertThat(scraped).as("/actuator/prometheus has %s, which monitoring/ queries", metric)
						.contains(metric));
			assertThat(scraped)
				.contains("idempotency_renewals_total{endpoint=\"PaymentController#create\",result=\"renewed\"");
		}
	}

	@Test
	void theDashboardIsJsonAndTheRulesAreYaml() throws IOException {
		String dashboard = Files.readString(monitoring("grafana-dashboard.json"));
		Map<String, Object> rules = new Yaml().load(Files.readString(monitoring("prometheus-alerts.yml")));
		assertThat(JsonPath.<String>read(dashboard, "$.title")).isEqualTo("Idempotency");
		assertThat(JsonPath.<List<Object>>read(dashboard, "$.panels")).hasSizeGreaterThanOrEqualTo(8);
		assertThat(rules).containsKey("groups");
	}

	private static Set<String> queriedMetrics() throws IOException {
		Set<String> metrics = new TreeSet<>();
		for (String file : new String[] { "grafana-dashboard.json", "prometheus-alerts.yml" }) {
			Matcher matcher = METRIC.matcher(Files.readString(monitoring(file)));
			while (matcher.find()) {
				metrics.add(matcher.group());
			}
		}
		return metrics;
	}

	private static Path monitoring(String file) {
		return Path.of("..", "monitoring", file);
	}

	private static HttpRequest.Builder post(int port, String path, String key) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(PAYMENT));
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		return request;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

}
