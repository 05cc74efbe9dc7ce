package io.github.idempotency.internal.timer;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.util.Assert;

/**
 * A small pool of daemon threads of the starter's own for delayed tasks (deadlines,
 * renewals, waits), so that none of them uses a request thread or an event loop, and none
 * keeps a JVM alive. Its delayed tasks are dropped when it closes.
 *
 * <p>
 * A cancelled task stays in the queue until it is due and is skipped then: taking it out
 * at once would take the queue's lock on the thread that cancels, which may be an event
 * loop (a call deadline is cancelled where Redis answered). What the task holds (a claim,
 * a pending call) is let go of when it is cancelled, so a queued task costs the queue
 * entry only. So that a thread does not wake up for every such task, once per request, a
 * timer with a tick lets each task fall due at the next multiple of the tick after its
 * delay: all tasks of one tick are run, or skipped, in one wake-up, and none runs more
 * than one tick late.
 */
public final class DaemonTimer implements AutoCloseable {

	/** Delays this long or longer are not aligned, so that nothing overflows. */
	private static final long UNALIGNED_NANOS = TimeUnit.DAYS.toNanos(365);

	private final ScheduledThreadPoolExecutor executor;

	private final long tickNanos;

	/**
	 * Creates a timer.
	 * @param name its threads' name, numbered from 1 when it has more than one
	 * @param threads how many threads it has
	 * @param tick the granularity of its due times, or zero to run every task when due
	 */
	public DaemonTimer(String name, int threads, Duration tick) {
		Assert.hasText(name, "name must not be empty");
		Assert.isTrue(threads > 0, "threads must be positive");
		Assert.isTrue(!tick.isNegative(), "tick must not be negative");
		AtomicInteger count = new AtomicInteger();
		this.executor = new ScheduledThreadPoolExecutor(threads, (task) -> {
			Thread thread = new Thread(task, (threads > 1) ? name + "-" + count.incrementAndGet() : name);
			thread.setDaemon(true);
			return thread;
		});
		this.executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		this.tickNanos = tick.toNanos();
	}

	/**
	 * Runs a task once its delay has passed, at most one tick later.
	 * @param task the task
	 * @param delayNanos its delay
	 * @return the task's future, to cancel it
	 */
	public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
		return this.executor.schedule(task, aligned(System.nanoTime(), delayNanos, this.tickNanos),
				TimeUnit.NANOSECONDS);
	}

	/**
	 * Runs a task at once, on one of the timer's threads.
	 * @param task the task
	 */
	public void execute(Runnable task) {
		this.executor.execute(task);
	}

	/** How many tasks wait in the queue, for tests. */
	int pending() {
		return this.executor.getQueue().size();
	}

	/**
	 * @return whether the timer is closed
	 */
	public boolean isClosed() {
		return this.executor.isShutdown();
	}

	/** Stops the timer's threads and drops its delayed tasks. */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

	/**
	 * The delay that makes a task due at the first multiple of the tick at or after
	 * {@code now + delayNanos}.
	 * @param now the time now, from {@link System#nanoTime()}
	 * @param delayNanos the task's delay
	 * @param tickNanos the tick, or zero for none
	 * @return the aligned delay, at least {@code delayNanos} and less than
	 * {@code delayNanos + tickNanos}
	 */
	static long aligned(long now, long delayNanos, long tickNanos) {
		if (tickNanos <= 0 || delayNanos <= 0 || delayNanos >= UNALIGNED_NANOS) {
			return delayNanos;
		}
		long past = Math.floorMod(now + delayNanos, tickNanos);
		return (past == 0) ? delayNanos : delayNanos + tickNanos - past;
	}

}
