package io.github.idempotency.internal.reactive;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.github.idempotency.internal.aop.IdempotentDurations;
import io.github.idempotency.internal.http.IdempotentHandlers;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;

/**
 * The settings of every {@code @Idempotent} WebFlux handler method, resolved at start-up.
 * Besides the checks every door makes, start-up stops for a response that is streamed — a
 * mapping that produces {@code text/event-stream} or {@code application/x-ndjson}, or a
 * method that returns {@link ServerSentEvent}s: it never ends, or ends too late, to be
 * stored and replayed. A {@code Mono}, a finite {@code Flux} (sent as one JSON array), a
 * {@code ResponseEntity} of either and a plain value are stored.
 */
public final class ReactiveIdempotentHandlers extends IdempotentHandlers {

	private static final Set<String> STREAMING_TYPES = Set.of(MediaType.TEXT_EVENT_STREAM_VALUE,
			MediaType.APPLICATION_NDJSON_VALUE, "application/stream+json");

	private final ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings;

	/**
	 * Creates the registry.
	 * @param defaults the durations of methods that do not set their own
	 * @param handlerMappings the handler mappings whose methods are checked at start-up
	 * @param beanFactory the beans searched at start-up for annotated methods that are no
	 * handler
	 */
	public ReactiveIdempotentHandlers(IdempotentDurations defaults,
			ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings, ListableBeanFactory beanFactory) {
		super(defaults, beanFactory, "WebFlux");
		this.handlerMappings = handlerMappings;
	}

	@Override
	protected Stream<HandlerMethod> handlerMethods() {
		return mappings().map(Map.Entry::getValue);
	}

	private Stream<Map.Entry<RequestMappingInfo, HandlerMethod>> mappings() {
		return this.handlerMappings.orderedStream()
			.flatMap((mapping) -> mapping.getHandlerMethods().entrySet().stream());
	}

	@Override
	protected @Nullable String whyNotReplayable(HandlerMethod handlerMethod) {
		List<MediaType> produced = mappings()
			.filter((entry) -> entry.getValue().getMethod().equals(handlerMethod.getMethod()))
			.flatMap((entry) -> entry.getKey().getProducesCondition().getProducibleMediaTypes().stream())
			.toList();
		for (MediaType type : produced) {
			if (STREAMING_TYPES.contains(type.getType() + "/" + type.getSubtype())) {
				return "it produces " + type
						+ ", a stream that cannot be stored and replayed; produce a body that ends "
						+ "(application/json, say)";
			}
		}
		if (returnsServerSentEvents(ResolvableType.forMethodParameter(handlerMethod.getReturnType()))) {
			return "it returns ServerSentEvents, a stream that cannot be stored and replayed; return a body that ends";
		}
		return null;
	}

	/**
	 * Whether the type, once unwrapped from reactive types and {@code HttpEntity}, is
	 * {@link ServerSentEvent}.
	 */
	private static boolean returnsServerSentEvents(ResolvableType type) {
		ResolvableType current = type;
		for (int depth = 0; depth < 4 && current != ResolvableType.NONE; depth++) {
			Class<?> resolved = current.toClass();
			if (ServerSentEvent.class.isAssignableFrom(resolved)) {
				return true;
			}
			if (HttpEntity.class.isAssignableFrom(resolved)) {
				current = current.as(HttpEntity.class).getGeneric(0);
			}
			else if (ReactiveAdapterRegistry.getSharedInstance().getAdapter(resolved) != null) {
				current = current.getGeneric(0);
			}
			else {
				return false;
			}
		}
		return false;
	}

}
