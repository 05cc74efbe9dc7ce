package io.github.idempotency.internal.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounds asynchronous Redis calls by the store timeout on one daemon thread of its own
 * ({@code idempotency-redis-deadline}). Unlike {@link CompletableFuture#orTimeout}, a
 * reply that arrives in time does not take a lock to cancel its deadline on the thread it
 * arrives on, which is Lettuce's event loop: the cancelled deadline stays queued until it
 * is due and is skipped then.
 */
final class CallDeadlines implements AutoCloseable {

	private final ScheduledThreadPoolExecutor timer;

	CallDeadlines() {
		this.timer = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "idempotency-redis-deadline");
			thread.setDaemon(true);
			return thread;
		});
		this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
	}

	/**
	 * A copy of a reply that fails with {@link TimeoutException} once {@code nanos} have
	 * passed; the reply itself stays as it is, so a late answer can still be seen.
	 * @param <T> the reply's type
	 * @param reply the reply
	 * @param nanos how long to wait for it
	 * @return the bounded copy
	 */
	<T> CompletableFuture<T> bounded(CompletableFuture<T> reply, long nanos) {
		CompletableFuture<T> bounded = reply.copy();
		if (bounded.isDone()) {
			return bounded;
		}
		ScheduledFuture<?> deadline = this.timer.schedule(() -> bounded.completeExceptionally(new TimeoutException()),
				nanos, TimeUnit.NANOSECONDS);
		bounded.whenComplete((value, failure) -> deadline.cancel(false));
		return bounded;
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

}
