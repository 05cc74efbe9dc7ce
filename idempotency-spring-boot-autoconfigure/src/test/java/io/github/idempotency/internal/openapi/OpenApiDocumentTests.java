package io.github.idempotency.internal.openapi;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.JsonPath;
import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.TestHttp;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document springdoc serves, read over HTTP from a running application: every
 * {@code @Idempotent} operation (also one declared on an API-first interface) shows the
 * key header, the problem answers and {@code Idempotent-Replayed}, and says how long a
 * duplicate waits for the first request; other operations do not; and the whole document
 * is valid OpenAPI.
 */
class OpenApiDocumentTests {

	private static RunningApp app;

	private static String document;

	@BeforeAll
	static void readDocument() {
		app = RunningApp.start("idempotency.store=in-memory", "idempotency.header-name=Idempotency-Key");
		TestHttp http = app.http();
		HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(http.uri("/v3/api-docs")).GET().build());
		assertThat(response.statusCode()).isEqualTo(200);
		document = TestHttp.body(response);
	}

	@AfterAll
	static void stop() {
		app.close();
	}

	@Test
	void anIdempotentOperationTakesTheKeyHeader() {
		List<Map<String, Object>> headers = JsonPath.read(document,
				"$.paths['/orders'].post.parameters[?(@.in == 'header' && @.name == 'Idempotency-Key')]");
		assertThat(headers).singleElement().satisfies((header) -> {
			assertThat(header).containsEntry("required", true);
			assertThat((String) header.get("description")).contains("retry");
			assertThat(header).containsKey("example");
		});
		List<Map<String, Object>> optional = JsonPath.read(document,
				"$.paths['/optional'].post.parameters[?(@.name == 'Idempotency-Key')]");
		assertThat(optional).singleElement().satisfies((header) -> assertThat(header).containsEntry("required", false));
	}

	@Test
	void anIdempotentOperationListsTheProblemsTheStarterCanAnswer() {
		Map<String, Object> responses = JsonPath.read(document, "$.paths['/orders'].post.responses");
		assertThat(responses).containsKeys("400", "409", "413", "422", "503");
		for (String status : List.of("400", "409", "413", "422", "503")) {
			assertThat(JsonPath.<String>read(document,
					"$.paths['/orders'].post.responses['" + status
							+ "'].content['application/problem+json'].schema['$ref']"))
				.as(status)
				.isEqualTo("#/components/schemas/IdempotencyProblem");
		}
		assertThat(JsonPath.<Map<String, Object>>read(document,
				"$.paths['/orders'].post.responses['409'].content['application/problem+json'].examples"))
			.containsKeys("request-in-progress", "record-unreadable");
		assertThat(JsonPath.<Object>read(document, "$.paths['/orders'].post.responses['409'].headers['Retry-After']"))
			.isNotNull();
		assertThat(
				JsonPath.<List<String>>read(document, "$.components.schemas.IdempotencyProblem.properties.type.enum"))
			.contains("https://idempotency.github.io/problems/key-reused",
					"https://idempotency.github.io/problems/store-unavailable");
		Map<String, Object> optional = JsonPath.read(document, "$.paths['/optional'].post.responses['400']");
		assertThat(optional.toString()).doesNotContain("missing-key").contains("invalid-key");
	}

	@Test
	void theKeyHeaderAndThe409SayHowLongADuplicateWaitsForTheFirst() {
		assertThat(keyDescription("/orders")).contains("gets 409 request-in-progress with Retry-After")
			.doesNotContain("waits");
		assertThat(keyDescription("/slow-short-wait")).contains("waits up to 1 s for it and gets its response");
		assertThat(JsonPath.<String>read(document, "$.paths['/slow-short-wait'].post.responses['409'].description"))
			.contains("after waiting 1 s");
		assertThat(JsonPath.<Map<String, Object>>read(document,
				"$.paths['/orders'].post.responses['409'].content['application/problem+json'].examples"))
			.as("claim-lost is a JDBC store's answer")
			.doesNotContainKey("claim-lost");
	}

	private static String keyDescription(String path) {
		List<String> descriptions = JsonPath.read(document,
				"$.paths['" + path + "'].post.parameters[?(@.name == 'Idempotency-Key')].description");
		assertThat(descriptions).hasSize(1);
		return descriptions.get(0);
	}

	@Test
	void successResponsesOfAnIdempotentOperationCarryTheReplayedHeader() {
		Map<String, Object> responses = JsonPath.read(document, "$.paths['/orders'].post.responses");
		responses.keySet()
			.stream()
			.filter((status) -> status.startsWith("2"))
			.forEach((status) -> assertThat(JsonPath.<Object>read(document,
					"$.paths['/orders'].post.responses['" + status + "'].headers['Idempotent-Replayed']"))
				.as(status)
				.isNotNull());
		assertThat(responses.keySet()).anyMatch((status) -> status.startsWith("2"));
	}

	@Test
	void anOperationDeclaredIdempotentOnItsInterfaceIsShownTooAndOthersAreUntouched() {
		assertThat(JsonPath.<List<Object>>read(document,
				"$.paths['/api/orders'].post.parameters[?(@.name == 'Idempotency-Key')]"))
			.hasSize(1);
		assertThat(JsonPath.<Map<String, Object>>read(document, "$.paths['/api/orders'].post.responses"))
			.containsKeys("409", "422");
		Map<String, Object> untouched = JsonPath.read(document, "$.paths['/executions/{endpoint}'].get");
		assertThat(untouched.toString()).doesNotContain("Idempotency-Key").doesNotContain("IdempotencyProblem");
		assertThat(JsonPath.<Map<String, Object>>read(document, "$.paths['/executions/{endpoint}'].get.responses"))
			.doesNotContainKeys("409", "422", "503");
	}

	@Test
	void theWholeDocumentIsValidOpenApi() {
		ParseOptions options = new ParseOptions();
		options.setResolve(true);
		SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
		assertThat(result.getOpenAPI()).isNotNull();
		assertThat(result.getMessages()).as(document).isEmpty();
	}

}
