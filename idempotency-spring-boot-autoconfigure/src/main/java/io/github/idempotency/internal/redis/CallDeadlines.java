package io.github.idempotency.internal.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

import io.github.idempotency.internal.timer.DaemonTimer;

/**
 * Bounds asynchronous Redis calls by the store timeout on one daemon thread of its own
 * ({@code idempotency-redis-deadline}), at most one tick of 10 ms late. Unlike
 * {@link CompletableFuture#orTimeout}, a reply that arrives in time does not take a lock
 * to cancel its deadline on the thread it arrives on, which is Lettuce's event loop: the
 * cancelled deadline stays queued until it is due and is skipped then.
 */
final class CallDeadlines implements AutoCloseable {

	/**
	 * Deadlines fall due on this tick: one wake-up of the timer for all replies that
	 * arrived within it, and a call fails at most this much after its timeout.
	 */
	private static final Duration TICK = Duration.ofMillis(10);

	private final DaemonTimer timer = new DaemonTimer("idempotency-redis-deadline", 1, TICK);

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
				nanos);
		bounded.whenComplete((value, failure) -> deadline.cancel(false));
		return bounded;
	}

	@Override
	public void close() {
		this.timer.close();
	}

}
