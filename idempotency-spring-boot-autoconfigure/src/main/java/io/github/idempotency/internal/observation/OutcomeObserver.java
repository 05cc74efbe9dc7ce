package io.github.idempotency.internal.observation;

import io.github.idempotency.IdempotencyObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Passes every outcome and store call on, and writes each outcome (but a lost claim,
 * which is counted in addition to the call's outcome) as the {@code outcome} of the call
 * observation in scope.
 */
public final class OutcomeObserver implements IdempotencyObserver {

	private final IdempotencyObserver delegate;

	private final ObservationRegistry observations;

	public OutcomeObserver(IdempotencyObserver delegate, ObservationRegistry observations) {
		this.delegate = delegate;
		this.observations = observations;
	}

	@Override
	public void onOutcome(Outcome outcome, String endpoint) {
		this.delegate.onOutcome(outcome, endpoint);
		Observation current = this.observations.getCurrentObservation();
		if (outcome != Outcome.LOST_CLAIM && current != null
				&& IdempotencyObservation.CALL_NAME.equals(current.getContext().getName())) {
			current.lowCardinalityKeyValue(IdempotencyObservation.CallKeys.OUTCOME.asString(), outcome.tag());
		}
	}

	@Override
	public void onRenewal(Renewal renewal, String endpoint) {
		this.delegate.onRenewal(renewal, endpoint);
	}

	@Override
	public void onWaitStarted(String endpoint) {
		this.delegate.onWaitStarted(endpoint);
	}

	@Override
	public void onWait(WaitEnd end, String endpoint, long nanos) {
		this.delegate.onWait(end, endpoint, nanos);
	}

	@Override
	public void onEviction(boolean evicted) {
		this.delegate.onEviction(evicted);
	}

	@Override
	public void onStoreCall(StoreOperation operation, long nanos, boolean failed) {
		this.delegate.onStoreCall(operation, nanos, failed);
	}

}
