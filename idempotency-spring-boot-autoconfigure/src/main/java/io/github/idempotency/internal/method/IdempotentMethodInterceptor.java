package io.github.idempotency.internal.method;

import java.util.function.Supplier;

import io.github.idempotency.IdempotencyInProgressException;
import io.github.idempotency.IdempotencyKeyReusedException;
import io.github.idempotency.IdempotencyObserver.Outcome;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.IdempotencyResponseLostException;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.aop.IdempotentAdvisor;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.claim.ClaimSequence.Decision;
import io.github.idempotency.internal.claim.StorageKeys;
import io.micrometer.observation.Observation;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Applies {@code @Idempotent(key = ...)} around any Spring bean method: evaluates the key over
 * the arguments, claims it in the method's scope, and either runs the method and stores its
 * return value, or returns the stored value without running it, or throws:
 * {@link IdempotencyInProgressException} while the first call still runs,
 * {@link IdempotencyKeyReusedException} for another fingerprint, the store's exception when the
 * store fails ({@code fail-closed}). A method that throws releases its key and the exception
 * propagates unchanged.
 *
 * <p>Its order is configurable; by default it runs outside {@code @Transactional} and most
 * other advice, so the value is stored after the transaction committed and a rollback
 * releases the key.
 */
public final class IdempotentMethodInterceptor extends IdempotentAdvisor {

	private final Supplier<Calls> calls;

	/**
	 * Creates the interceptor.
	 * @param methods the resolved methods, looked up on first use
	 * @param claims claims keys and counts outcomes, looked up on first use
	 * @param keyPrefix the first segment of every store key
	 * @param order the order of this advice among other advice
	 */
	public IdempotentMethodInterceptor(ObjectProvider<KeyedMethods> methods, ObjectProvider<ClaimSequence> claims,
			String keyPrefix, int order) {
		super(true, order);
		Assert.notNull(methods, "methods must not be null");
		Assert.notNull(claims, "claims must not be null");
		Assert.hasText(keyPrefix, "keyPrefix must not be empty");
		this.calls = SingletonSupplier
			.of(() -> new Calls(methods.getObject(), claims.getObject(), new StorageKeys(keyPrefix)));
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? ClassUtils.getUserClass(AopUtils.getTargetClass(target))
				: invocation.getMethod().getDeclaringClass();
		Calls calls = this.calls.get();
		KeyedMethod method = calls.methods().find(invocation.getMethod(), targetClass);
		if (method == null) {
			return invocation.proceed();
		}
		Observation observation = calls.claims().startCall(method.endpoint());
		try (Observation.Scope scope = observation.openScope()) {
			return invoke(invocation, calls, method, target, targetClass);
		}
		catch (Throwable ex) {
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	private Object invoke(MethodInvocation invocation, Calls calls, KeyedMethod method, Object target,
			Class<?> targetClass) throws Throwable {
		Object[] args = invocation.getArguments();
		String key;
		String fingerprint;
		try {
			key = method.key(target, targetClass, args);
			fingerprint = method.fingerprint(target, targetClass, args);
		}
		catch (IllegalArgumentException ex) {
			calls.claims().observer().onOutcome(Outcome.REJECTED, method.endpoint());
			throw ex;
		}
		String storageKey = calls.storageKeys().storageKey("method:" + method.scope(), key);
		Decision decision = calls.claims().claim(method.endpoint(), storageKey, fingerprint, method.lockTimeout());
		if (decision instanceof Decision.Run run) {
			return runAndSettle(invocation, method, run.claim());
		}
		if (decision instanceof Decision.RunWithoutIdempotency) {
			return invocation.proceed();
		}
		if (decision instanceof Decision.Replay replay) {
			return replay(calls.claims(), method, storageKey, replay);
		}
		if (decision instanceof Decision.InProgress inProgress) {
			throw new IdempotencyInProgressException(method.endpoint(), method.scope(),
					(inProgress.expiresIn() != null) ? inProgress.expiresIn() : method.lockTimeout());
		}
		if (decision instanceof Decision.KeyReused) {
			throw new IdempotencyKeyReusedException(method.endpoint(), method.scope());
		}
		if (decision instanceof Decision.ResponseLost) {
			throw new IdempotencyResponseLostException(method.endpoint(), method.scope());
		}
		if (decision instanceof Decision.Unreadable unreadable) {
			throw unreadable.failure();
		}
		RuntimeException failure = ((Decision.StoreUnavailable) decision).failure();
		throw (failure instanceof IdempotencyStoreException) ? failure
				: new IdempotencyStoreException("The idempotency store failed: " + failure.getMessage(), failure);
	}

	private static Object runAndSettle(MethodInvocation invocation, KeyedMethod method, ClaimSequence.Claim claim)
			throws Throwable {
		Object result;
		try (IdempotencyStore.Execution running = claim.running(method.ttl())) {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			claim.release("it threw " + ex.getClass().getName());
			throw ex;
		}
		StoredResponse stored;
		try {
			stored = method.returnValues().toStored(result);
		}
		catch (RuntimeException ex) {
			claim.keep("its return value could not be encoded", ex);
			return result;
		}
		claim.complete(stored, method.ttl());
		return result;
	}

	private static Object replay(ClaimSequence claims, KeyedMethod method, String storageKey,
			Decision.Replay replay) {
		Object value;
		try {
			value = method.returnValues().fromStored(replay.response());
		}
		catch (RuntimeException ex) {
			claims.observer().onOutcome(Outcome.STORE_ERROR, method.endpoint());
			throw new IdempotencyRecordException("The stored result of " + method.endpoint()
					+ " under " + storageKey + " cannot be read: " + ex.getMessage() + "; the method did not run", ex);
		}
		claims.observer().onOutcome(Outcome.REPLAYED, method.endpoint());
		return value;
	}

	/** What a call needs, found once the context is up. */
	private record Calls(KeyedMethods methods, ClaimSequence claims, StorageKeys storageKeys) {
	}

}
