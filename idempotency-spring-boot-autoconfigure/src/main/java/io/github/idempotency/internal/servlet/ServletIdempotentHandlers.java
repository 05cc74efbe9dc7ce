package io.github.idempotency.internal.servlet;

import java.io.OutputStream;
import java.io.Writer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import io.github.idempotency.internal.aop.IdempotentDurations;
import io.github.idempotency.internal.http.IdempotentHandlers;
import jakarta.servlet.ServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The settings of every {@code @Idempotent} Spring MVC handler method, resolved at
 * start-up. Besides the checks every door makes, start-up stops for a response that is
 * streamed (an emitter, {@code StreamingResponseBody}, a {@code Flux} or a Kotlin
 * {@code Flow}) or written to the raw servlet response: it cannot be stored and replayed.
 * An asynchronous handler ({@code CompletableFuture}, {@code DeferredResult},
 * {@code Callable}, {@code WebAsyncTask}, a {@code Mono}, a Kotlin {@code suspend}
 * function) is settled once its result is written.
 */
public final class ServletIdempotentHandlers extends IdempotentHandlers {

	private static final Class<?>[] STREAMED_TYPES = { ResponseBodyEmitter.class, StreamingResponseBody.class };

	private final ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings;

	/**
	 * Creates the registry.
	 * @param defaults the durations of methods that do not set their own
	 * @param handlerMappings the handler mappings whose methods are checked at start-up
	 * @param beanFactory the beans searched at start-up for annotated methods that are no
	 * handler
	 */
	public ServletIdempotentHandlers(IdempotentDurations defaults,
			ObjectProvider<RequestMappingInfoHandlerMapping> handlerMappings, ListableBeanFactory beanFactory) {
		super(defaults, beanFactory, "Spring MVC");
		this.handlerMappings = handlerMappings;
	}

	@Override
	protected Stream<HandlerMethod> handlerMethods() {
		return this.handlerMappings.orderedStream().flatMap((mapping) -> mapping.getHandlerMethods().values().stream());
	}

	@Override
	protected @Nullable String whyNotReplayable(HandlerMethod handlerMethod) {
		MethodParameter returnType = handlerMethod.getReturnType();
		Class<?> type = returnType.getParameterType();
		if (HttpEntity.class.isAssignableFrom(type)) {
			type = ResolvableType.forMethodParameter(returnType).as(HttpEntity.class).getGeneric(0).toClass();
		}
		for (Class<?> streamed : STREAMED_TYPES) {
			if (streamed.isAssignableFrom(type)) {
				return "it returns " + type.getSimpleName()
						+ ", a streamed response that cannot be stored and replayed; return a body or a ResponseEntity";
			}
		}
		if (Future.class.isAssignableFrom(type) && !CompletionStage.class.isAssignableFrom(type)) {
			return "it returns " + type.getSimpleName()
					+ ", which Spring MVC does not wait for; return a CompletableFuture, a body or a ResponseEntity";
		}
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(type);
		if (adapter != null && adapter.isMultiValue()) {
			return "it returns " + type.getSimpleName()
					+ ", a stream of values that cannot be stored and replayed; return a Mono, a body or a ResponseEntity";
		}
		if (type == void.class || type == Void.class) {
			for (MethodParameter parameter : handlerMethod.getMethodParameters()) {
				Class<?> parameterType = parameter.getParameterType();
				if (ServletResponse.class.isAssignableFrom(parameterType)
						|| OutputStream.class.isAssignableFrom(parameterType)
						|| Writer.class.isAssignableFrom(parameterType)) {
					return "it returns void and writes to the raw servlet response (" + parameterType.getSimpleName()
							+ " parameter), which cannot be stored and replayed; return a body or a ResponseEntity";
				}
			}
		}
		return null;
	}

}
