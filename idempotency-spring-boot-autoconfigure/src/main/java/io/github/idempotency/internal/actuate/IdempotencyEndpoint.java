package io.github.idempotency.internal.actuate;

import java.security.Principal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyObserver;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyScopeResolver;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.RecordInspection;
import io.github.idempotency.internal.claim.StorageKeys;
import io.github.idempotency.internal.http.IdempotencyKeyParser;
import io.github.idempotency.internal.http.IdempotencyKeyParser.ParsedKey;
import io.github.idempotency.internal.observation.SafeObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.lang.Nullable;
import org.springframework.util.Assert;

/**
 * The {@code idempotency} Actuator endpoint, for the people on call: what the store holds
 * under a client's key ({@code GET}), and evicting it ({@code DELETE}) when it is stuck
 * or holds a response that must not be replayed. The key is given as the client sent it,
 * with the caller ({@code caller}, the principal's name) for a key of an authenticated
 * caller or the method's scope ({@code scope}, {@code Type#method} or the annotation's
 * {@code scope}) for a key of an {@code @Idempotent(key = ...)} method. The stored body
 * and headers are never shown: they are customer data. Every eviction is logged at WARN
 * with who asked, and counted.
 *
 * <p>
 * Optional parameters carry Spring's {@code @Nullable}, the annotation Spring Boot 3
 * reads to make an endpoint parameter optional (Spring Boot 4 reads it too).
 */
@Endpoint(id = "idempotency")
@SuppressWarnings("deprecation")
public final class IdempotencyEndpoint {

	private static final Log logger = LogFactory.getLog(IdempotencyEndpoint.class);

	private final IdempotencyStore store;

	private final StorageKeys storageKeys;

	private final IdempotencyObserver observer;

	/**
	 * Creates the endpoint.
	 * @param store the store requests use
	 * @param keyPrefix the first segment of every store key
	 * @param observer counts evictions
	 */
	public IdempotencyEndpoint(IdempotencyStore store, String keyPrefix, IdempotencyObserver observer) {
		Assert.notNull(store, "store must not be null");
		Assert.hasText(keyPrefix, "keyPrefix must not be empty");
		this.store = store;
		this.storageKeys = new StorageKeys(keyPrefix);
		this.observer = SafeObserver.of(observer);
	}

	/**
	 * What the store holds under a key.
	 * @param key the key as the client sent it
	 * @param caller the name of the authenticated caller the key belongs to, if any
	 * @param scope the scope of an {@code @Idempotent(key = ...)} method's key, if it is
	 * one
	 * @return {@code storageKey}, {@code state} ({@code in-progress}, {@code executed},
	 * {@code completed}, {@code absent} or {@code unreadable}), for a completed key
	 * {@code status} and {@code bodyBytes}, and {@code expiresInMillis} when the store
	 * tells how long the record still lives
	 */
	@ReadOperation
	public Map<String, Object> inspect(String key, @Nullable String caller, @Nullable String scope) {
		String storageKey = storageKey(key, caller, scope);
		Map<String, Object> report = new LinkedHashMap<>();
		report.put("storageKey", storageKey);
		RecordInspection inspection;
		try {
			inspection = this.store.inspect(storageKey);
		}
		catch (IdempotencyRecordException ex) {
			report.put("state", "unreadable");
			report.put("error", String.valueOf(ex.getMessage()));
			return report;
		}
		if (inspection == null) {
			report.put("state", "absent");
			return report;
		}
		ClaimResult record = inspection.record();
		if (record instanceof ClaimResult.Completed completed) {
			report.put("state", "completed");
			report.put("status", completed.response().status());
			report.put("bodyBytes", completed.response().body().length);
		}
		else {
			report.put("state", (record instanceof ClaimResult.Executed) ? "executed" : "in-progress");
		}
		Duration expiresIn = inspection.expiresIn();
		if (expiresIn != null) {
			report.put("expiresInMillis", expiresIn.toMillis());
		}
		return report;
	}

	/**
	 * Evicts a key: the next request with it runs.
	 * @param key the key as the client sent it
	 * @param caller the name of the authenticated caller the key belongs to, if any
	 * @param scope the scope of an {@code @Idempotent(key = ...)} method's key, if it is
	 * one
	 * @param securityContext who asks, for the log
	 * @return {@code evicted}: whether a record was deleted, and {@code storageKey}
	 */
	@DeleteOperation
	public Map<String, Object> evict(String key, @Nullable String caller, @Nullable String scope,
			SecurityContext securityContext) {
		String storageKey = storageKey(key, caller, scope);
		boolean evicted = this.store.evict(storageKey);
		Principal principal = securityContext.getPrincipal();
		String who = (principal != null) ? principal.getName() : "an unauthenticated caller";
		logger.warn("Evicted idempotency key "
				+ storageKey + " at the request of " + who + " (" + (evicted
						? "a record was deleted; the next request with this key runs" : "there was no record to delete")
				+ ")");
		this.observer.onEviction(evicted);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("evicted", evicted);
		result.put("storageKey", storageKey);
		return result;
	}

	private String storageKey(String key, @Nullable String caller, @Nullable String scope) {
		if (caller != null && scope != null) {
			throw new InvalidEndpointRequestException("Give caller (a key of an authenticated caller) or scope "
					+ "(a key of an @Idempotent(key = ...) method), not both", "caller and scope given");
		}
		ParsedKey parsed = IdempotencyKeyParser.parse(Collections.enumeration(List.of(key)));
		if (!(parsed instanceof ParsedKey.Valid valid)) {
			throw new InvalidEndpointRequestException("The key is invalid: " + parsed.error()
					+ "; give it as the client sent it in its Idempotency-Key header", "invalid key");
		}
		if (scope != null) {
			return this.storageKeys.storageKey(StorageKeys.methodScope(scope), valid.value());
		}
		String callerScope = (caller != null) ? StorageKeys.callerScope(caller) : IdempotencyScopeResolver.GLOBAL;
		return this.storageKeys.storageKey(callerScope, valid.value());
	}

}
