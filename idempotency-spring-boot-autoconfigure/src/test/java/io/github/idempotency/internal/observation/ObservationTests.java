package io.github.idempotency.internal.observation;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.idempotency.testapp.Gate;
import io.github.idempotency.testapp.ObservedTestApplication;
import io.github.idempotency.testapp.ObservedTestApplication.RecordedObservations;
import io.github.idempotency.testapp.RunningApp;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.Test;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request to an {@code @Idempotent} handler and every call of an
 * {@code @Idempotent(key = ...)} method is an observation whose outcome says what
 * happened, with each store call as a child observation: what Spring Boot's tracing shows
 * as spans. Key values are low-cardinality only.
 */
class ObservationTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	@Test
	void aFirstRequestAndAReplayAreObservedWithTheirStoreCalls() {
		try (RunningApp app = RunningApp.start(ObservedTestApplication.class, "idempotency.store=in-memory")) {
			String key = UUID.randomUUID().toString();
			assertThat(app.http().post("/orders", key, ORDER).statusCode()).isEqualTo(201);
			assertThat(app.http().post("/orders", key, ORDER).statusCode()).isEqualTo(201);

			List<Observation.Context> calls = calls(app, "TestController#createOrder");
			assertThat(calls).extracting(ObservationTests::outcome).containsExactly("executed", "replayed");
			assertThat(storeCallsOf(app, calls.get(0))).containsExactly("claim success", "complete success");
			assertThat(storeCallsOf(app, calls.get(1))).containsExactly("claim success");
			assertLowCardinalityOnly(app, key);

			List<SimpleSpan> spans = spans(app, "idempotency");
			assertThat(spans).extracting((span) -> span.getTags().get("outcome"))
				.containsExactly("executed", "replayed");
			assertThat(spans).allSatisfy(
					(span) -> assertThat(span.getTags()).containsEntry("endpoint", "TestController#createOrder"));
			assertThat(childSpans(app, spans.get(0))).extracting((span) -> span.getTags().get("operation"))
				.containsExactly("claim", "complete");
		}
	}

	@Test
	void aConflictAndAStoreFailureAreObserved() throws Exception {
		try (RunningApp app = RunningApp.start(ObservedTestApplication.class, "idempotency.store=in-memory",
				"idempotency.in-memory.max-entries=1")) {
			Gate gate = app.bean(Gate.class);
			gate.close();
			String key = UUID.randomUUID().toString();
			CompletableFuture<HttpResponse<byte[]>> first = CompletableFuture
				.supplyAsync(() -> app.http().post("/slow", key, ORDER));
			gate.awaitEntered();
			assertThat(app.http().post("/slow", key, ORDER).statusCode()).isEqualTo(409);
			HttpResponse<byte[]> full = app.http().post("/orders", UUID.randomUUID().toString(), ORDER);
			assertThat(full.statusCode()).as(body(full)).isEqualTo(503);
			gate.open();
			assertThat(first.get().statusCode()).isEqualTo(201);

			assertThat(calls(app, "TestController#slow")).extracting(ObservationTests::outcome)
				.containsExactlyInAnyOrder("executed", "conflict");
			List<Observation.Context> failed = calls(app, "TestController#createOrder");
			assertThat(failed).extracting(ObservationTests::outcome).containsExactly("store_error");
			assertThat(storeCallsOf(app, failed.get(0))).containsExactly("claim failure");
			assertThat(spans(app, "idempotency store"))
				.filteredOn((span) -> "failure".equals(span.getTags().get("result")))
				.singleElement()
				.satisfies((span) -> assertThat(span.getError()).isNotNull());
		}
	}

	@Test
	void aCallOfAnIdempotentServiceMethodIsObserved() {
		try (RunningApp app = RunningApp.start(ObservedTestApplication.class, "idempotency.store=in-memory")) {
			String paymentId = UUID.randomUUID().toString();
			for (int i = 0; i < 2; i++) {
				app.http()
					.send(HttpRequest.newBuilder(app.http().uri("/events/" + paymentId))
						.POST(HttpRequest.BodyPublishers.noBody())
						.build());
			}
			assertThat(calls(app, "EventReceipts#receipt")).extracting(ObservationTests::outcome)
				.containsExactly("executed", "replayed");
		}
	}

	private static List<Observation.Context> calls(RunningApp app, String endpoint) {
		return contexts(app).stream()
			.filter((context) -> context.getName().equals("idempotency.call"))
			.filter((context) -> endpoint.equals(value(context, "endpoint")))
			.toList();
	}

	private static List<String> storeCallsOf(RunningApp app, Observation.Context call) {
		return contexts(app).stream()
			.filter((context) -> context.getName().equals("idempotency.store.call"))
			.filter((context) -> context.getParentObservation() != null
					&& context.getParentObservation().getContextView() == call)
			.map((context) -> value(context, "operation") + " " + value(context, "result"))
			.toList();
	}

	/**
	 * No key value carries the client's key; every key value is declared low-cardinality.
	 */
	private static void assertLowCardinalityOnly(RunningApp app, String key) {
		assertThat(contexts(app)).filteredOn((context) -> context.getName().startsWith("idempotency."))
			.isNotEmpty()
			.allSatisfy((context) -> {
				assertThat(context.getHighCardinalityKeyValues()).isEmpty();
				assertThat(context.getLowCardinalityKeyValues().stream().map(KeyValue::getValue))
					.noneMatch(key::equals);
			});
	}

	private static List<SimpleSpan> spans(RunningApp app, String name) {
		return app.bean(SimpleTracer.class).getSpans().stream().filter((span) -> name.equals(span.getName())).toList();
	}

	private static List<SimpleSpan> childSpans(RunningApp app, SimpleSpan parent) {
		return app.bean(SimpleTracer.class)
			.getSpans()
			.stream()
			.filter((span) -> parent.getSpanId().equals(span.getParentId()))
			.toList();
	}

	private static List<Observation.Context> contexts(RunningApp app) {
		return app.bean(RecordedObservations.class).contexts();
	}

	private static String outcome(Observation.Context context) {
		return value(context, "outcome");
	}

	private static String value(Observation.Context context, String key) {
		KeyValue value = context.getLowCardinalityKeyValue(key);
		return (value != null) ? value.getValue() : null;
	}

}
