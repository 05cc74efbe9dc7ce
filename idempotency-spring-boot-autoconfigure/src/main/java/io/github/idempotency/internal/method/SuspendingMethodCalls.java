package io.github.idempotency.internal.method;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.claim.Claim;
import io.github.idempotency.internal.claim.ClaimSequence;
import io.github.idempotency.internal.claim.Decision;
import io.github.idempotency.internal.method.IdempotentMethodInterceptor.Call;
import io.github.idempotency.internal.method.IdempotentMethodInterceptor.Calls;
import io.github.idempotency.internal.method.IdempotentMethodInterceptor.Outcomes;
import io.micrometer.observation.Observation;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Applies {@code @Idempotent(key = ...)} to a Kotlin {@code suspend} function. Spring AOP
 * hands such a call to advice as a {@code Mono} of its result (and turns the advice's
 * {@code Mono} back into the coroutine's result), so the call is claimed, run and settled
 * as a {@code Mono}: no thread waits for the store or for a call in flight, a blocking
 * store is called on Reactor's bounded elastic scheduler, and the value is stored as the
 * function's declared Kotlin type. Loaded only when such a function is called, so Reactor
 * is needed only then.
 */
final class SuspendingMethodCalls {

	/**
	 * Claims, runs and settles one call.
	 * @return a {@code Mono} of the call's value, which Spring AOP awaits in the
	 * coroutine
	 */
	Object call(MethodInvocation invocation, Calls calls, KeyedMethod method, @Nullable Object target,
			Class<?> targetClass) {
		return Mono.defer(() -> {
			Observation observation = calls.claims().startCall(method.endpoint());
			Call call;
			try (Observation.Scope scope = observation.openScope()) {
				call = Call.of(invocation, calls, method, target, targetClass);
			}
			catch (IllegalArgumentException ex) {
				observation.error(ex);
				observation.stop();
				return Mono.error(ex);
			}
			Cases cases = new Cases(invocation, calls.claims(), method, call.storageKey(), observation);
			return cases
				.store(() -> calls.claims()
					.claimAsync(method.endpoint(), call.storageKey(), call.fingerprint(), method.lockTimeout(),
							method.waitForInProgress()))
				.flatMap((decision) -> decision.accept(cases))
				.doOnError(observation::error)
				.doFinally((signal) -> observation.stop());
		});
	}

	/** What a decision makes of a suspending call. */
	private static final class Cases implements Decision.Cases<Mono<Object>, RuntimeException> {

		private final MethodInvocation invocation;

		private final ClaimSequence claims;

		private final KeyedMethod method;

		private final String storageKey;

		private final Observation observation;

		Cases(MethodInvocation invocation, ClaimSequence claims, KeyedMethod method, String storageKey,
				Observation observation) {
			this.invocation = invocation;
			this.claims = claims;
			this.method = method;
			this.storageKey = storageKey;
			this.observation = observation;
		}

		@Override
		public Mono<Object> run(Claim claim) {
			return proceed(claim).flatMap((value) -> settle(claim, value).thenReturn(value))
				.switchIfEmpty(Mono.defer(() -> settle(claim, null).then(Mono.empty())))
				.onErrorResume((ex) -> store(() -> claim.releaseAsync("it threw " + ex.getClass().getName()))
					.then(Mono.error(ex)));
		}

		@Override
		public Mono<Object> runWithoutIdempotency() {
			return proceed(null);
		}

		@Override
		public Mono<Object> replay(StoredResponse response) {
			return Mono.fromSupplier(() -> Outcomes.replayed(this.claims, this.method, this.storageKey, response));
		}

		@Override
		public Mono<Object> await(Decision.Wait wait) {
			return Mono.fromCompletionStage(wait.decision()).doOnCancel(() -> {
				wait.stop();
				wait.decision().thenAccept((late) -> {
					// may complete on the store client's thread: give the claim back
					// without blocking it
					if (late instanceof Decision.Run run) {
						store(() -> run.claim().withdrawAsync("its caller went away while it waited")).subscribe();
					}
				});
			}).flatMap((decision) -> decision.accept(this));
		}

		@Override
		public Mono<Object> refuse(Decision.Refused refusal) {
			return Mono.error(Outcomes.refused(this.method, refusal));
		}

		/**
		 * The call's own {@code Mono}: Spring AOP invokes the function when the advice
		 * proceeds and returns its result as a {@code Publisher}.
		 */
		@SuppressWarnings("unchecked")
		private Mono<Object> proceed(@Nullable Claim claim) {
			return Mono.defer(() -> {
				Object result;
				try (Observation.Scope scope = this.observation.openScope();
						IdempotencyStore.Execution running = (claim != null) ? claim.running(this.method.ttl())
								: IdempotencyStore.Execution.NONE) {
					result = this.invocation.proceed();
				}
				catch (Throwable ex) {
					return Mono.error(ex);
				}
				return (result instanceof Publisher<?> publisher) ? Mono.from((Publisher<Object>) publisher)
						: Mono.justOrEmpty(result);
			});
		}

		private Mono<Void> settle(Claim claim, @Nullable Object value) {
			StoredResponse stored;
			try {
				stored = this.method.returnValues().toStored(value);
			}
			catch (RuntimeException ex) {
				claim.keep("its return value could not be encoded", ex);
				return Mono.empty();
			}
			return store(() -> claim.completeAsync(stored, this.method.ttl()));
		}

		/**
		 * A call to the store: on the caller's thread when the store does not block (its
		 * answer arrives on its client's threads), else on the bounded elastic scheduler.
		 */
		private <T> Mono<T> store(Supplier<CompletionStage<T>> call) {
			Mono<T> mono = Mono.fromCompletionStage(call);
			return this.claims.isStoreBlocking() ? mono.subscribeOn(blockingScheduler()) : mono;
		}

		private static Scheduler blockingScheduler() {
			return Schedulers.boundedElastic();
		}

	}

}
