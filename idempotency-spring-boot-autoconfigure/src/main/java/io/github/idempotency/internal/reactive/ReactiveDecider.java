package io.github.idempotency.internal.reactive;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import io.github.idempotency.IdempotencyObserver.Outcome;
import io.github.idempotency.IdempotencyProblem;
import io.github.idempotency.ReactiveIdempotencyScopeResolver;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.claim.Claim;
import io.github.idempotency.internal.claim.Decision;
import io.github.idempotency.internal.claim.StorageKeys;
import io.github.idempotency.internal.http.IdempotencyKeyParser;
import io.github.idempotency.internal.http.IdempotencyKeyParser.ParsedKey;
import io.github.idempotency.internal.http.IdempotentHandler;
import io.github.idempotency.internal.http.RefusalProblem;
import io.github.idempotency.internal.http.RequestFingerprinter;
import io.github.idempotency.internal.reactive.ReactiveBodyReader.BodyTooLargeException;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;

/**
 * The step once WebFlux has mapped a request to an {@code @Idempotent} method, before it
 * resolves the method's arguments: reads the key, scopes and fingerprints the request
 * (reading its body ahead, without blocking, when the method takes one) and claims the
 * key. Either the request goes on to the method (with a claim its
 * {@link ReactiveSettlingResponse} settles, or without idempotency), or the starter
 * answers itself: a replay, 409, 422, 400, 413, 410, 500 or 503, the same documents the
 * Spring MVC door sends.
 */
public final class ReactiveDecider {

	private static final Log logger = LogFactory.getLog(ReactiveDecider.class);

	private static final byte[] EMPTY = new byte[0];

	private final ClaimSequence claims;

	private final ReactiveIdempotencyScopeResolver scopeResolver;

	private final String headerName;

	private final StorageKeys storageKeys;

	private final long maxBodyBytes;

	private final ReactiveBodyReader bodyReader;

	private final RequestFingerprinter fingerprinter = new RequestFingerprinter();

	private final ReactiveResumption resumption;

	/**
	 * Creates the decision step.
	 * @param claims claims keys in the store and counts outcomes
	 * @param scopeResolver names the caller a key belongs to
	 * @param headerName the request header carrying the key
	 * @param keyPrefix the first segment of every store key
	 * @param maxBodySize the largest request body that is fingerprinted
	 * @param otherServers where a request goes on once the store answered on one of the
	 * store client's own threads, which must not run handlers, when no Reactor Netty
	 * event loop serves it (on Reactor Netty it goes back to the event loop of its
	 * connection)
	 */
	public ReactiveDecider(ClaimSequence claims, ReactiveIdempotencyScopeResolver scopeResolver, String headerName,
			String keyPrefix, DataSize maxBodySize, Scheduler otherServers) {
		Assert.notNull(claims, "claims must not be null");
		Assert.notNull(scopeResolver, "scopeResolver must not be null");
		Assert.hasText(headerName, "headerName must not be empty");
		Assert.hasText(keyPrefix, "keyPrefix must not be empty");
		Assert.isTrue(maxBodySize != null && maxBodySize.toBytes() > 0, "maxBodySize must be positive");
		Assert.notNull(otherServers, "otherServers must not be null");
		this.claims = claims;
		this.scopeResolver = scopeResolver;
		this.headerName = headerName;
		this.storageKeys = new StorageKeys(keyPrefix);
		this.maxBodyBytes = maxBodySize.toBytes();
		this.bodyReader = new ReactiveBodyReader(this.maxBodyBytes);
		this.resumption = new ReactiveResumption(otherServers);
	}

	/**
	 * Decides whether the request goes on to the method.
	 * @param exchange the request's exchange
	 * @param method the settings of the method
	 * @param response the exchange's settling response, which receives the claim
	 * @param calls how store calls are made
	 * @return the exchange the method runs with, or empty when the starter answered
	 */
	Mono<ServerWebExchange> decide(ServerWebExchange exchange, IdempotentHandler method,
			ReactiveSettlingResponse response, ReactiveStoreCalls calls) {
		Observation observation = this.claims.startCall(method.endpoint());
		ServerHttpRequest request = exchange.getRequest();
		ParsedKey parsed = IdempotencyKeyParser
			.parse(Collections.enumeration(values(request.getHeaders(), this.headerName)));
		if (parsed instanceof ParsedKey.Invalid invalid) {
			return reject(exchange, method, observation, IdempotencyProblem.INVALID_KEY, this.headerName,
					invalid.error());
		}
		if (!(parsed instanceof ParsedKey.Valid key)) {
			if (!method.required()) {
				observed(observation, () -> this.claims.observer().onOutcome(Outcome.UNKEYED, method.endpoint()));
				observation.stop();
				return Mono.just(exchange);
			}
			return reject(exchange, method, observation, IdempotencyProblem.MISSING_KEY, this.headerName);
		}
		Mono<byte[]> body = (method.readsBody() && !isForm(request)) ? this.bodyReader.read(request) : Mono.just(EMPTY);
		return body
			.flatMap((bytes) -> parameters(exchange).flatMap((parameters) -> this.scopeResolver.resolveScope(exchange)
				.flatMap((scope) -> claim(exchange, method, response, calls, observation, scope, key.value(),
						parameters, bytes))))
			.onErrorResume(BodyTooLargeException.class, (ex) -> reject(exchange, method, observation,
					IdempotencyProblem.BODY_TOO_LARGE, this.maxBodyBytes));
	}

	private Mono<ServerWebExchange> claim(ServerWebExchange exchange, IdempotentHandler method,
			ReactiveSettlingResponse response, ReactiveStoreCalls calls, Observation observation, String scope,
			String clientKey, Map<String, String[]> parameters, byte[] body) {
		ServerHttpRequest request = exchange.getRequest();
		String storageKey = this.storageKeys.storageKey(scope, clientKey);
		String fingerprint = this.fingerprinter.fingerprint(request.getMethod().name(), request.getPath().value(),
				parameters, request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE), body);
		AtomicReference<CompletionStage<Decision>> claimed = new AtomicReference<>();
		boolean[] answeredAtOnce = { false };
		return calls.call(() -> {
			try (Observation.Scope opened = observation.openScope()) {
				CompletionStage<Decision> stage = this.claims.claimAsync(method.endpoint(), storageKey, fingerprint,
						method.lockTimeout(), method.waitForInProgress());
				claimed.set(stage);
				answeredAtOnce[0] = stage.toCompletableFuture().isDone();
				return stage;
			}
		}).doOnCancel(() -> {
			CompletionStage<Decision> stage = claimed.get();
			if (stage != null) {
				stage.thenAccept((late) -> withdrawLate(late, calls));
			}
		})
			.flatMap((decision) -> resumed(exchange, decision, answeredAtOnce[0] && !calls.blocking()))
			.flatMap((decision) -> decided(exchange, method, response, calls, observation, decision, body));
	}

	/**
	 * The decision, on a thread that may run the handler: a store that answered later did
	 * so on one of its client's threads (Lettuce's event loop), which must not run
	 * handlers, and a blocking store on a thread of the door's bounded scheduler, which
	 * is kept for store calls.
	 */
	private Mono<Decision> resumed(ServerWebExchange exchange, Decision decision, boolean answeredAtOnce) {
		Mono<Decision> resumed = Mono.just(decision);
		return answeredAtOnce ? resumed : resumed.publishOn(this.resumption.of(exchange.getRequest()));
	}

	private Mono<ServerWebExchange> decided(ServerWebExchange exchange, IdempotentHandler method,
			ReactiveSettlingResponse response, ReactiveStoreCalls calls, Observation observation, Decision decision,
			byte[] body) {
		return decision.accept(new Outcomes(exchange, method, response, calls, observation, body));
	}

	/** A claim taken for a request that was cancelled meanwhile is given back at once. */
	private static void withdrawLate(Decision decision, ReactiveStoreCalls calls) {
		if (decision instanceof Decision.Run run) {
			calls.call(() -> run.claim().withdrawAsync("the request was cancelled")).subscribe();
		}
	}

	/**
	 * What a decision makes of the request: it goes on to the method, or the starter
	 * answers.
	 */
	private final class Outcomes implements Decision.Cases<Mono<ServerWebExchange>, RuntimeException> {

		private final ServerWebExchange exchange;

		private final IdempotentHandler method;

		private final ReactiveSettlingResponse response;

		private final ReactiveStoreCalls calls;

		private final Observation observation;

		private final byte[] body;

		Outcomes(ServerWebExchange exchange, IdempotentHandler method, ReactiveSettlingResponse response,
				ReactiveStoreCalls calls, Observation observation, byte[] body) {
			this.exchange = exchange;
			this.method = method;
			this.response = response;
			this.calls = calls;
			this.observation = observation;
			this.body = body;
		}

		@Override
		public Mono<ServerWebExchange> run(Claim claim) {
			this.response.hold(new ReactiveClaim(claim, this.method,
					ReactiveSettler.headers(this.response.getHeaders()), this.observation));
			return Mono.just(withBody(this.exchange, this.method, this.body));
		}

		@Override
		public Mono<ServerWebExchange> runWithoutIdempotency() {
			this.observation.stop();
			return Mono.just(withBody(this.exchange, this.method, this.body));
		}

		@Override
		public Mono<ServerWebExchange> replay(StoredResponse stored) {
			observed(this.observation,
					() -> ReactiveDecider.this.claims.observer().onOutcome(Outcome.REPLAYED, this.method.endpoint()));
			return answered(this.observation, ReactiveResponseWriter.writeReplay(this.response, stored));
		}

		/**
		 * The wait holds no thread: the decision arrives on a thread of the wait or of
		 * the store client, and the request goes on where a store's late answer would
		 * take it ({@link ReactiveResumption}). A request cancelled meanwhile stops the
		 * wait and gives back a claim that arrives late.
		 */
		@Override
		public Mono<ServerWebExchange> await(Decision.Wait wait) {
			return Mono.fromCompletionStage(wait.decision()).doOnCancel(() -> {
				wait.stop();
				wait.decision().thenAccept((late) -> withdrawLate(late, this.calls));
			})
				.publishOn(ReactiveDecider.this.resumption.of(this.exchange.getRequest()))
				.flatMap((decision) -> decision.accept(this));
		}

		@Override
		public Mono<ServerWebExchange> refuse(Decision.Refused refusal) {
			RefusalProblem problem = RefusalProblem.of(refusal);
			return answer(this.exchange, this.observation, problem.problem(), problem.retryAfterSeconds(),
					ReactiveDecider.this.headerName);
		}

	}

	private static ServerWebExchange withBody(ServerWebExchange exchange, IdempotentHandler method, byte[] body) {
		if (!method.readsBody() || isForm(exchange.getRequest())) {
			return exchange;
		}
		return exchange.mutate().request(new ReactiveReadAheadRequest(exchange.getRequest(), body)).build();
	}

	private Mono<ServerWebExchange> reject(ServerWebExchange exchange, IdempotentHandler method,
			Observation observation, IdempotencyProblem problem, Object... detailArguments) {
		if (logger.isDebugEnabled()) {
			logger.debug("Rejected " + method.endpoint() + ": " + problem.title());
		}
		observed(observation, () -> this.claims.observer().onOutcome(Outcome.REJECTED, method.endpoint()));
		return answer(exchange, observation, problem, 0, detailArguments);
	}

	private static Mono<ServerWebExchange> answer(ServerWebExchange exchange, Observation observation,
			IdempotencyProblem problem, long retryAfterSeconds, Object... detailArguments) {
		return answered(observation, ReactiveResponseWriter.writeProblem(exchange.getResponse(), problem,
				problem.detail(detailArguments), exchange.getRequest().getPath().value(), retryAfterSeconds));
	}

	/**
	 * The starter's own answer: the call's observation ends as it is decided, before it
	 * is written, as in the Spring MVC door.
	 */
	private static Mono<ServerWebExchange> answered(Observation observation, Mono<Void> written) {
		observation.stop();
		return written.then(Mono.empty());
	}

	/**
	 * Reports an outcome to the call's observation, which is not in scope on this thread.
	 */
	private static void observed(Observation observation, Runnable report) {
		try (Observation.Scope scope = observation.openScope()) {
			report.run();
		}
	}

	/**
	 * The query parameters and, for a form post, the form's fields, as Spring MVC's
	 * {@code getParameterMap()} gives them, so both doors fingerprint a request alike.
	 */
	private static Mono<Map<String, String[]>> parameters(ServerWebExchange exchange) {
		Map<String, String[]> parameters = new LinkedHashMap<>();
		add(parameters, exchange.getRequest().getQueryParams());
		if (!isForm(exchange.getRequest())) {
			return Mono.just(parameters);
		}
		return exchange.getFormData().map((form) -> {
			add(parameters, form);
			return parameters;
		});
	}

	private static void add(Map<String, String[]> parameters, MultiValueMap<String, String> values) {
		values.forEach((name, list) -> {
			String[] before = parameters.get(name);
			List<String> all = new ArrayList<>((before != null) ? List.of(before) : List.of());
			all.addAll(list);
			parameters.put(name, all.toArray(String[]::new));
		});
	}

	private static boolean isForm(ServerHttpRequest request) {
		String contentType = request.getHeaders().getFirst(HttpHeaders.CONTENT_TYPE);
		return contentType != null && contentType.regionMatches(true, 0, MediaType.APPLICATION_FORM_URLENCODED_VALUE, 0,
				MediaType.APPLICATION_FORM_URLENCODED_VALUE.length());
	}

	/**
	 * The values of a header, one per header line, without splitting them at commas,
	 * found by case-insensitive name without copying the others.
	 */
	private static List<String> values(HttpHeaders headers, String name) {
		return headers.getOrEmpty(name);
	}

}
