package io.github.idempotency.internal.actuate;

import java.util.Map;
import java.util.function.Supplier;

import io.github.idempotency.IdempotencyStoreException;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.lang.Nullable;

/**
 * The {@code idempotency} endpoint over HTTP: the same operations, with a store that does
 * not answer reported as {@code 503} and a store that cannot be inspected or evicted as
 * {@code 501}, each with a message, rather than as an error page. A missing or malformed
 * {@code key} is a {@code 400}, as Actuator answers it.
 */
@EndpointWebExtension(endpoint = IdempotencyEndpoint.class)
@SuppressWarnings("deprecation")
public final class IdempotencyEndpointWebExtension {

	private final IdempotencyEndpoint endpoint;

	/**
	 * Creates the extension.
	 * @param endpoint the endpoint
	 */
	public IdempotencyEndpointWebExtension(IdempotencyEndpoint endpoint) {
		this.endpoint = endpoint;
	}

	/**
	 * {@link IdempotencyEndpoint#inspect} over HTTP.
	 * @param key the key as the client sent it
	 * @param caller the name of the authenticated caller the key belongs to, if any
	 * @param scope the scope of an {@code @Idempotent(key = ...)} method's key, if it is
	 * one
	 * @return the report, or the store's failure
	 */
	@ReadOperation
	public WebEndpointResponse<Map<String, Object>> inspect(String key, @Nullable String caller,
			@Nullable String scope) {
		return answer(() -> this.endpoint.inspect(key, caller, scope));
	}

	/**
	 * {@link IdempotencyEndpoint#evict} over HTTP.
	 * @param key the key as the client sent it
	 * @param caller the name of the authenticated caller the key belongs to, if any
	 * @param scope the scope of an {@code @Idempotent(key = ...)} method's key, if it is
	 * one
	 * @param securityContext who asks, for the log
	 * @return whether a record was deleted, or the store's failure
	 */
	@DeleteOperation
	public WebEndpointResponse<Map<String, Object>> evict(String key, @Nullable String caller, @Nullable String scope,
			SecurityContext securityContext) {
		return answer(() -> this.endpoint.evict(key, caller, scope, securityContext));
	}

	private static WebEndpointResponse<Map<String, Object>> answer(Supplier<Map<String, Object>> operation) {
		try {
			return new WebEndpointResponse<>(operation.get());
		}
		catch (IdempotencyStoreException ex) {
			return new WebEndpointResponse<>(
					Map.of("error", "The idempotency store did not answer: " + ex.getMessage()),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
		catch (UnsupportedOperationException ex) {
			return new WebEndpointResponse<>(Map.of("error", String.valueOf(ex.getMessage())), 501);
		}
	}

}
