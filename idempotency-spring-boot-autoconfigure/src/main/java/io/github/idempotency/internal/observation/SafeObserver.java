package io.github.idempotency.internal.observation;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.idempotency.IdempotencyObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Calls an observer so that it can never change a decision: whatever it throws is caught
 * and logged, at WARN with the stack trace the first time and at DEBUG after that, so a
 * broken observer neither fails requests nor floods the log.
 */
public final class SafeObserver implements IdempotencyObserver {

	private static final Log logger = LogFactory.getLog(SafeObserver.class);

	private final IdempotencyObserver observer;

	private final AtomicBoolean warned = new AtomicBoolean();

	private SafeObserver(IdempotencyObserver observer) {
		this.observer = observer;
	}

	/**
	 * Wraps an observer, unless it is wrapped already.
	 * @param observer the observer
	 * @return an observer that never throws
	 */
	public static IdempotencyObserver of(IdempotencyObserver observer) {
		return (observer instanceof SafeObserver) ? observer : new SafeObserver(observer);
	}

	@Override
	public void onOutcome(Outcome outcome, String endpoint) {
		try {
			this.observer.onOutcome(outcome, endpoint);
		}
		catch (RuntimeException ex) {
			failed("onOutcome", ex);
		}
	}

	@Override
	public void onStoreCall(StoreOperation operation, long nanos, boolean failed) {
		try {
			this.observer.onStoreCall(operation, nanos, failed);
		}
		catch (RuntimeException ex) {
			failed("onStoreCall", ex);
		}
	}

	@Override
	public void onWaitStarted(String endpoint) {
		try {
			this.observer.onWaitStarted(endpoint);
		}
		catch (RuntimeException ex) {
			failed("onWaitStarted", ex);
		}
	}

	@Override
	public void onWait(WaitEnd end, String endpoint, long nanos) {
		try {
			this.observer.onWait(end, endpoint, nanos);
		}
		catch (RuntimeException ex) {
			failed("onWait", ex);
		}
	}

	@Override
	public void onRenewal(Renewal renewal, String endpoint) {
		try {
			this.observer.onRenewal(renewal, endpoint);
		}
		catch (RuntimeException ex) {
			failed("onRenewal", ex);
		}
	}

	@Override
	public void onEviction(boolean evicted) {
		try {
			this.observer.onEviction(evicted);
		}
		catch (RuntimeException ex) {
			failed("onEviction", ex);
		}
	}

	private void failed(String call, RuntimeException ex) {
		String message = "IdempotencyObserver " + this.observer.getClass().getName() + "." + call
				+ " threw; the request was not affected";
		if (this.warned.compareAndSet(false, true)) {
			logger.warn(message + " (further failures of this observer are logged at DEBUG)", ex);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message, ex);
		}
	}

}
