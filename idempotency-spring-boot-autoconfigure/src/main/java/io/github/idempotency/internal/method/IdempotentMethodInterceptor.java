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
import io.github.idempotency.internal.claim.Claim;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.claim.Decision;
import io.github.idempotency.internal.claim.StorageKeys;
import io.micrometer.observation.Observation;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Applies {@code @Idempotent(key = ...)} around any Spring bean method: evaluates the key
 * over the arguments, claims it in the method's scope, and either runs the method and
 * stores its return value, or returns the stored value without running it, or throws:
 * {@link IdempotencyInProgressException} while the first call still runs,
 * {@link IdempotencyKeyReusedException} for another fingerprint, the store's exception
 * when the store fails ({@code fail-closed}). A method that throws releases its key and
 * the exception propagates unchanged.
 *
 * <p>
 * Its order is configurable; by default it runs outside {@code @Transactional} and most
 * other advice, so the value is stored after the transaction committed and a rollback
 * releases the key.
 */
public final class IdempotentMethodInterceptor extends IdempotentAdvisor {

	private final Supplier<Calls> calls;

	private final Supplier<SuspendingMethodCalls> suspendingCalls = SingletonSupplier.of(SuspendingMethodCalls::new);

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
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? ClassUtils.getUserClass(AopUtils.getTargetClass(target))
				: invocation.getMethod().getDeclaringClass();
		Calls calls = this.calls.get();
		KeyedMethod method = calls.methods().find(invocation.getMethod(), targetClass);
		if (method == null) {
			return invocation.proceed();
		}
		if (method.isSuspending()) {
			return this.suspendingCalls.get().call(invocation, calls, method, target, targetClass);
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

	private @Nullable Object invoke(MethodInvocation invocation, Calls calls, KeyedMethod method,
			@Nullable Object target, Class<?> targetClass) throws Throwable {
		Call call = Call.of(invocation, calls, method, target, targetClass);
		return calls.claims()
			.claim(method.endpoint(), call.storageKey(), call.fingerprint(), method.lockTimeout(),
					method.waitForInProgress())
			.accept(new Outcomes(invocation, calls.claims(), method, call.storageKey()));
	}

	private static @Nullable Object runAndSettle(MethodInvocation invocation, KeyedMethod method, Claim claim)
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

	/**
	 * What a decision makes of a call: it runs, returns the stored value, or throws the
	 * exception that says why it did not run. The value is what the advised method
	 * returns, {@code null} for a {@code void} method or one that returned {@code null};
	 * NullAway on Java 17 cannot check a nullable type argument
	 * ({@code Cases<@Nullable Object, ...>}), so the nullness of these returns is not
	 * checked here.
	 */
	@SuppressWarnings("NullAway")
	static final class Outcomes implements Decision.Cases<Object, Throwable> {

		private final MethodInvocation invocation;

		private final ClaimSequence claims;

		private final KeyedMethod method;

		private final String storageKey;

		Outcomes(MethodInvocation invocation, ClaimSequence claims, KeyedMethod method, String storageKey) {
			this.invocation = invocation;
			this.claims = claims;
			this.method = method;
			this.storageKey = storageKey;
		}

		@Override
		public Object run(Claim claim) throws Throwable {
			return runAndSettle(this.invocation, this.method, claim);
		}

		@Override
		public Object runWithoutIdempotency() throws Throwable {
			return this.invocation.proceed();
		}

		@Override
		public Object replay(StoredResponse response) {
			return replayed(this.claims, this.method, this.storageKey, response);
		}

		/**
		 * The stored value of a call, read back as the method's return type.
		 * @throws IdempotencyRecordException when it cannot be read
		 */
		static @Nullable Object replayed(ClaimSequence claims, KeyedMethod method, String storageKey,
				StoredResponse response) {
			Object value;
			try {
				value = method.returnValues().fromStored(response);
			}
			catch (RuntimeException ex) {
				claims.observer().onOutcome(Outcome.STORE_ERROR, method.endpoint());
				throw new IdempotencyRecordException("The stored result of " + method.endpoint() + " under "
						+ storageKey + " cannot be read: " + ex.getMessage() + "; the method did not run", ex);
			}
			claims.observer().onOutcome(Outcome.REPLAYED, method.endpoint());
			return value;
		}

		/**
		 * A method called directly waits on its caller's thread; an interrupted caller
		 * stops waiting and gets {@link IdempotencyInProgressException}.
		 */
		@Override
		public Object await(Decision.Wait wait) throws Throwable {
			return wait.join().accept(this);
		}

		@Override
		public Object refuse(Decision.Refused refusal) {
			throw refused(this.method, refusal);
		}

		/**
		 * The exception that says why a call did not run.
		 */
		static RuntimeException refused(KeyedMethod method, Decision.Refused refusal) {
			String endpoint = method.endpoint();
			String scope = method.scope();
			return switch (refusal.reason()) {
				case IN_PROGRESS -> new IdempotencyInProgressException(endpoint, scope,
						(refusal.expiresIn() != null) ? refusal.expiresIn() : method.lockTimeout());
				case KEY_REUSED -> new IdempotencyKeyReusedException(endpoint, scope);
				case RESPONSE_LOST -> new IdempotencyResponseLostException(endpoint, scope);
				case RECORD_UNREADABLE, STORE_UNAVAILABLE -> storeFailure(refusal.failure());
			};
		}

		private static RuntimeException storeFailure(@Nullable RuntimeException failure) {
			if (failure instanceof IdempotencyStoreException || failure instanceof IdempotencyRecordException) {
				return failure;
			}
			return new IdempotencyStoreException(
					"The idempotency store failed" + ((failure != null) ? ": " + failure.getMessage() : ""), failure);
		}

	}

	/** What a call needs, found once the context is up. */
	record Calls(KeyedMethods methods, ClaimSequence claims, StorageKeys storageKeys) {
	}

	/**
	 * One call's key in the store and fingerprint. The arguments a Kotlin {@code suspend}
	 * function's expressions see are its own, without the {@code Continuation} the
	 * compiler adds.
	 */
	record Call(String storageKey, String fingerprint) {

		/**
		 * @throws IllegalArgumentException when the key expression yields no key, counted
		 * as rejected
		 */
		static Call of(MethodInvocation invocation, Calls calls, KeyedMethod method, @Nullable Object target,
				Class<?> targetClass) {
			Object[] args = invocation.getArguments();
			try {
				String key = method.key(target, targetClass, args);
				String fingerprint = method.fingerprint(target, targetClass, args);
				return new Call(calls.storageKeys().storageKey(StorageKeys.methodScope(method.scope()), key),
						fingerprint);
			}
			catch (IllegalArgumentException ex) {
				calls.claims().observer().onOutcome(Outcome.REJECTED, method.endpoint());
				throw ex;
			}
		}

	}

}
