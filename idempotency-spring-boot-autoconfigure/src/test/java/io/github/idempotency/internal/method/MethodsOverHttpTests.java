package io.github.idempotency.internal.method;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import io.github.idempotency.testapp.Gate;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.RunningProcessApp;
import io.github.idempotency.testapp.TestHttp;
import io.github.idempotency.testsupport.Burst;
import io.github.idempotency.testsupport.RedisServerProcess;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An idempotent service method called from a controller, over real HTTP: the call goes
 * through the method's proxy, and two application JVMs sharing Redis run its body once
 * for a burst of deliveries of one event.
 */
class MethodsOverHttpTests {

	private static final int DELIVERIES = 50;

	@Test
	void aControllerCallingAnIdempotentServiceMethodGoesThroughIt() {
		try (RunningApp app = RunningApp.start("idempotency.store=in-memory")) {
			String paymentId = UUID.randomUUID().toString();
			HttpResponse<byte[]> first = deliver(app.http(), paymentId);
			HttpResponse<byte[]> again = deliver(app.http(), paymentId);

			assertThat(first.statusCode()).isEqualTo(200);
			assertThat(body(first)).isEqualTo("receipt 1 for " + paymentId);
			assertThat(again.body()).isEqualTo(first.body());
			assertThat(app.executions().count("receipt")).isEqualTo(1);
		}
	}

	@Test
	void theStartersExceptionsEscapingAControllerAreAnsweredWithItsProblemsNotA500() throws Exception {
		try (RunningApp app = RunningApp.start("idempotency.store=in-memory")) {
			String paymentId = UUID.randomUUID().toString();
			HttpResponse<byte[]> first = charge(app.http(), paymentId, 100);
			HttpResponse<byte[]> reused = charge(app.http(), paymentId, 200);

			assertThat(body(first)).isEqualTo("charge 1 of 100");
			assertThat(reused.statusCode()).isEqualTo(422);
			assertThat(reused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(body(reused)).contains("\"type\":\"https://idempotency.github.io/problems/key-reused\"");

			Gate gate = app.bean(Gate.class);
			gate.close();
			String held = UUID.randomUUID().toString();
			CompletableFuture<HttpResponse<byte[]>> running = CompletableFuture
				.supplyAsync(() -> charge(app.http(), held, 0));
			try {
				gate.awaitEntered();
				HttpResponse<byte[]> inProgress = charge(app.http(), held, 0);
				assertThat(inProgress.statusCode()).isEqualTo(409);
				assertThat(inProgress.headers().firstValue("Retry-After")).hasValue("1");
				assertThat(body(inProgress)).contains("request-in-progress");
			}
			finally {
				gate.open();
			}
			assertThat(running.get().statusCode()).isEqualTo(200);
			assertThat(app.executions().count("charge")).isEqualTo(2);
		}
	}

	@Test
	void twoApplicationJvmsSharingRedisRunTheBodyOnceForABurstOfDeliveries() throws Exception {
		try (RedisServerProcess redis = RedisServerProcess.start()) {
			String[] settings = { "--idempotency.store=redis", "--spring.data.redis.host=" + redis.host(),
					"--spring.data.redis.port=" + redis.port(), "--server.tomcat.threads.max=" + DELIVERIES };
			CompletableFuture<RunningProcessApp> starting = CompletableFuture
				.supplyAsync(() -> RunningProcessApp.start(RedisServerProcess.freePort(), List.of(), settings));
			try (RunningProcessApp first = RunningProcessApp.start(RedisServerProcess.freePort(), List.of(), settings);
					RunningProcessApp second = starting.join()) {
				String paymentId = UUID.randomUUID().toString();
				List<Callable<HttpResponse<byte[]>>> deliveries = new ArrayList<>();
				for (int i = 0; i < DELIVERIES; i++) {
					TestHttp instance = (i % 2 == 0) ? first.http() : second.http();
					deliveries.add(() -> deliver(instance, paymentId));
				}
				List<HttpResponse<byte[]>> responses = Burst.send(deliveries);

				assertThat(executions(first) + executions(second)).isEqualTo(1);
				List<HttpResponse<byte[]>> delivered = responses.stream().filter((r) -> r.statusCode() == 200).toList();
				assertThat(responses).allSatisfy((r) -> assertThat(r.statusCode()).as(body(r)).isIn(200, 409));
				assertThat(delivered).isNotEmpty()
					.allSatisfy((r) -> assertThat(body(r)).isEqualTo("receipt 1 for " + paymentId));
			}
		}
	}

	private static HttpResponse<byte[]> deliver(TestHttp http, String paymentId) {
		return http.send(HttpRequest.newBuilder(http.uri("/events/" + paymentId))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
	}

	private static HttpResponse<byte[]> charge(TestHttp http, String paymentId, long amount) {
		return http.send(HttpRequest.newBuilder(http.uri("/charges/" + paymentId + "?amount=" + amount))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
	}

	private static int executions(RunningProcessApp app) {
		HttpResponse<byte[]> response = app.http()
			.send(HttpRequest.newBuilder(app.http().uri("/executions/receipt")).GET().build());
		return Integer.parseInt(body(response).trim());
	}

}
