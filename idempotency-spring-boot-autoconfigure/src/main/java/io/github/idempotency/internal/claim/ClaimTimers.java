package io.github.idempotency.internal.claim;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timers of the claim engine: small pools of daemon threads of its own, so renewals
 * and waits never use a request thread or an event loop, and never keep a JVM alive.
 */
final class ClaimTimers {

	private ClaimTimers() {
	}

	/**
	 * A scheduler whose delayed tasks are dropped when it shuts down. A cancelled task
	 * stays in its queue until it is due and is skipped then: taking it out at once would
	 * take the queue's lock on the thread that cancels, which may be an event loop (a
	 * claim settled when Redis answered).
	 * @param name the threads' name, numbered from 1
	 * @param threads how many threads it has
	 * @return the scheduler
	 */
	static ScheduledThreadPoolExecutor scheduler(String name, int threads) {
		AtomicInteger count = new AtomicInteger();
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(threads, (task) -> {
			Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		return scheduler;
	}

}
