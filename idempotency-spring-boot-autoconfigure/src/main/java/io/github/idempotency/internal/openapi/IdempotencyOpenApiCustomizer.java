package io.github.idempotency.internal.openapi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.Idempotent;
import io.github.idempotency.internal.aop.IdempotentAnnotations;
import io.github.idempotency.internal.aop.IdempotentDurations;
import io.github.idempotency.internal.http.ResponseRecords;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.util.Assert;
import org.springframework.web.method.HandlerMethod;

/**
 * Tells the OpenAPI document (springdoc) what {@code @Idempotent} does to an operation:
 * the key header as a parameter, the problem answers the starter can give
 * ({@code application/problem+json} with one shared schema and the stable {@code type}
 * values), and the {@code Idempotent-Replayed} header on its success responses. The
 * annotation is found as at run time, also on the interface of an API-first controller;
 * other operations are left untouched.
 */
public final class IdempotencyOpenApiCustomizer implements OperationCustomizer, OpenApiCustomizer {

	/** The name of the shared problem schema in {@code components.schemas}. */
	public static final String PROBLEM_SCHEMA = "IdempotencyProblem";

	/** The header that marks a replayed response. */
	public static final String REPLAYED_HEADER = ResponseRecords.REPLAYED_HEADER;

	private static final String PROBLEM_JSON = "application/problem+json";

	private final String headerName;

	private final long maxBodyBytes;

	private final boolean recordsExecutions;

	private final IdempotentDurations defaults;

	/**
	 * Creates the customizer.
	 * @param headerName the request header that carries the key
	 * @param maxBodyBytes the largest request body that is fingerprinted
	 * @param recordsExecutions whether the store records executions (the JDBC store), so
	 * that {@code 410 response-lost} and {@code 409 claim-lost} can be answered
	 * @param defaults the durations of methods that set none, for the wait of a duplicate
	 */
	public IdempotencyOpenApiCustomizer(String headerName, long maxBodyBytes, boolean recordsExecutions,
			IdempotentDurations defaults) {
		Assert.hasText(headerName, "headerName must not be empty");
		Assert.notNull(defaults, "defaults must not be null");
		this.headerName = headerName;
		this.maxBodyBytes = maxBodyBytes;
		this.recordsExecutions = recordsExecutions;
		this.defaults = defaults;
	}

	@Override
	public Operation customize(Operation operation, HandlerMethod handlerMethod) {
		Idempotent idempotent = IdempotentAnnotations.find(handlerMethod.getMethod());
		if (idempotent == null || IdempotentAnnotations.hasKeyExpression(idempotent)) {
			return operation;
		}
		Duration wait = this.defaults.of(handlerMethod.getMethod(), idempotent).waitForInProgress();
		operation.addParametersItem(keyParameter(idempotent.required(), wait));
		ApiResponses responses = (operation.getResponses() != null) ? operation.getResponses() : new ApiResponses();
		responses.forEach((status, response) -> {
			if (status.startsWith("2")) {
				response.addHeaderObject(REPLAYED_HEADER, new Header().description(
						"`true` when this is the stored response of an earlier request with the same key, replayed; absent on the first response")
					.schema(new StringSchema()._enum(List.of("true"))));
			}
		});
		Map<String, List<IdempotencyProblem>> problems = new LinkedHashMap<>();
		for (IdempotencyProblem problem : IdempotencyProblem.values()) {
			if (applies(problem, idempotent, operation)) {
				problems.computeIfAbsent(Integer.toString(problem.status()), (status) -> new ArrayList<>())
					.add(problem);
			}
		}
		problems.forEach((status, ofStatus) -> {
			if (!responses.containsKey(status)) {
				responses.addApiResponse(status, problemResponse(ofStatus, wait));
			}
		});
		operation.setResponses(responses);
		return operation;
	}

	private boolean applies(IdempotencyProblem problem, Idempotent idempotent, Operation operation) {
		return switch (problem) {
			case MISSING_KEY -> idempotent.required();
			case BODY_TOO_LARGE -> operation.getRequestBody() != null;
			case RESPONSE_LOST, CLAIM_LOST -> this.recordsExecutions;
			default -> true;
		};
	}

	private Parameter keyParameter(boolean required, Duration wait) {
		return new HeaderParameter().name(this.headerName)
			.required(required)
			.description("Makes retries safe: send a unique value (a UUID) with this request and the same value with "
					+ "every retry of it; a retry gets the first response again, with " + REPLAYED_HEADER + ": true. "
					+ whileRunning(wait)
					+ " A Structured Field string or a bare value of 1 to 255 printable ASCII characters."
					+ (required ? "" : " Without it the request runs without idempotency."))
			.schema(new StringSchema().minLength(1).maxLength(257))
			.example("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"");
	}

	/** What a retry sent while the first request still runs gets. */
	private static String whileRunning(Duration wait) {
		if (wait.isZero()) {
			return "A retry sent while the first request still runs gets 409 request-in-progress with Retry-After.";
		}
		return "A retry sent while the first request still runs waits up to " + seconds(wait)
				+ " for it and gets its response; should it still run then, 409 request-in-progress with Retry-After.";
	}

	private static String seconds(Duration wait) {
		return (wait.toMillis() % 1000 == 0) ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
	}

	private ApiResponse problemResponse(List<IdempotencyProblem> problems, Duration wait) {
		MediaType mediaType = new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA));
		StringBuilder description = new StringBuilder();
		for (IdempotencyProblem problem : problems) {
			description.append((description.length() > 0) ? "; " : "").append(problem.title());
			if (problem == IdempotencyProblem.REQUEST_IN_PROGRESS && !wait.isZero()) {
				description.append(" (still, after waiting ").append(seconds(wait)).append(" for it)");
			}
			mediaType.addExamples(problem.type().substring(IdempotencyProblem.TYPE_PREFIX.length()),
					new Example().summary(problem.title()).value(example(problem)));
		}
		ApiResponse response = new ApiResponse().description(description.toString())
			.content(new Content().addMediaType(PROBLEM_JSON, mediaType));
		if (problems.contains(IdempotencyProblem.REQUEST_IN_PROGRESS)
				|| problems.contains(IdempotencyProblem.STORE_UNAVAILABLE)) {
			response.addHeaderObject("Retry-After",
					new Header().description("Seconds to wait before retrying with the same key")
						.schema(new IntegerSchema()));
		}
		return response;
	}

	private Map<String, Object> example(IdempotencyProblem problem) {
		Map<String, Object> example = new LinkedHashMap<>();
		example.put("type", problem.type());
		example.put("title", problem.title());
		example.put("status", problem.status());
		example.put("detail", switch (problem) {
			case INVALID_KEY -> problem.detail(this.headerName, "it is empty");
			case BODY_TOO_LARGE -> problem.detail(this.maxBodyBytes);
			default -> problem.detail(this.headerName);
		});
		example.put("instance", "/payments");
		return example;
	}

	@Override
	public void customise(OpenAPI openApi) {
		Components components = (openApi.getComponents() != null) ? openApi.getComponents() : new Components();
		openApi.setComponents(components);
		components.addSchemas(PROBLEM_SCHEMA,
				new ObjectSchema()
					.description("An RFC 9457 problem answered by the idempotency starter; branch on `type`")
					.addProperty("type", new StringSchema().format("uri")
						._enum(List.of(IdempotencyProblem.values()).stream().map(IdempotencyProblem::type).toList()))
					.addProperty("title", new StringSchema())
					.addProperty("status", new IntegerSchema())
					.addProperty("detail", new StringSchema().description("What the client should do"))
					.addProperty("instance", new StringSchema().format("uri-reference"))
					.required(List.of("type", "title", "status", "detail")));
	}

}
