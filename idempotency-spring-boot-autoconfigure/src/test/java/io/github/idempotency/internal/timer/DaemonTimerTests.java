package io.github.idempotency.internal.timer;

import java.time.Duration;
import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class DaemonTimerTests {

	@Test
	void aTaskFallsDueAtTheFirstTickAtOrAfterItsDelay() {
		assertThat(DaemonTimer.aligned(3, 10, 5)).isEqualTo(12);
		assertThat(DaemonTimer.aligned(5, 10, 5)).isEqualTo(10);
		assertThat(DaemonTimer.aligned(-7, 10, 5)).isEqualTo(12);
		assertThat(DaemonTimer.aligned(-10, 10, 5)).isEqualTo(10);
		assertThat(DaemonTimer.aligned(0, 1, 10_000_000)).isEqualTo(10_000_000);
	}

	@Test
	void everyAlignedDelayIsAtLeastTheDelayAndLessThanOneTickMore() {
		long tick = TimeUnit.MILLISECONDS.toNanos(10);
		long[] nows = { Long.MIN_VALUE / 2, -123_456_789, -1, 0, 1, 987_654_321, Long.MAX_VALUE / 2 };
		long[] delays = { 1, 9_999_999, 10_000_000, 10_000_001, TimeUnit.SECONDS.toNanos(2) };
		for (long now : nows) {
			for (long delay : delays) {
				long aligned = DaemonTimer.aligned(now, delay, tick);
				assertThat(aligned).as("now %d, delay %d", now, delay).isBetween(delay, delay + tick - 1);
				assertThat(Math.floorMod(now + aligned, tick)).as("now %d, delay %d", now, delay).isZero();
			}
		}
	}

	@Test
	void withoutATickOrWithAnUnboundedDelayTasksAreDueWhenAsked() {
		assertThat(DaemonTimer.aligned(3, 10, 0)).isEqualTo(10);
		assertThat(DaemonTimer.aligned(3, 0, 5)).isZero();
		assertThat(DaemonTimer.aligned(3, -4, 5)).isEqualTo(-4);
		long year = TimeUnit.DAYS.toNanos(365);
		assertThat(DaemonTimer.aligned(3, year, 7)).isEqualTo(year);
		assertThat(DaemonTimer.aligned(3, year - 1, 7)).isNotEqualTo(year - 1);
	}

	@Test
	void tasksRunOnDaemonThreadsNamedAfterTheTimer() throws Exception {
		try (DaemonTimer single = new DaemonTimer("single", 1, Duration.ofMillis(10));
				DaemonTimer pool = new DaemonTimer("pool", 2, Duration.ZERO)) {
			assertThat(threadOf(single, 1)).isEqualTo("single daemon");
			assertThat(threadOf(pool, 0)).isEqualTo("pool-1 daemon");
		}
	}

	@Test
	void aCancelledTaskNeverRuns() throws Exception {
		try (DaemonTimer timer = new DaemonTimer("cancelled", 1, Duration.ofMillis(10))) {
			// the timer's one thread is held, so the task cannot fall due before it is
			// cancelled
			CountDownLatch held = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			timer.execute(() -> {
				held.countDown();
				awaitUninterruptibly(release);
			});
			assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<String> ran = new CompletableFuture<>();
			ScheduledFuture<?> cancelled = timer.schedule(() -> ran.complete("cancelled"), 1);
			cancelled.cancel(false);
			timer.schedule(() -> ran.complete("later"), 1);
			release.countDown();
			assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo("later");
		}
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void cancellingLeavesTheTaskQueuedUntilDueButLetsGoOfWhatItHolds() {
		try (DaemonTimer timer = new DaemonTimer("cancelled", 1, Duration.ofMillis(10))) {
			WeakReference<Object> held = scheduleAndCancelHolding(timer);
			// still queued: taking it out would take the queue's lock on the caller
			assertThat(timer.pending()).isEqualTo(1);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				System.gc();
				return held.get() == null;
			});
		}
	}

	/**
	 * Schedules a task that holds an object only it refers to, cancels it, and returns a
	 * weak reference to the object.
	 */
	private static WeakReference<Object> scheduleAndCancelHolding(DaemonTimer timer) {
		Object claim = new byte[1024];
		ScheduledFuture<?> renewal = timer.schedule(() -> assertThat(claim).isNotNull(), TimeUnit.SECONDS.toNanos(10));
		renewal.cancel(false);
		return new WeakReference<>(claim);
	}

	@Test
	void closingDropsDelayedTasksAndRefusesNewOnes() {
		DaemonTimer timer = new DaemonTimer("closing", 1, Duration.ofMillis(10));
		CompletableFuture<Void> ran = new CompletableFuture<>();
		ScheduledFuture<?> delayed = timer.schedule(() -> ran.complete(null), TimeUnit.HOURS.toNanos(1));
		assertThat(timer.isClosed()).isFalse();
		timer.close();
		assertThat(timer.isClosed()).isTrue();
		assertThat(delayed.isDone()).isFalse();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> timer.schedule(() -> {
		}, 1));
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> timer.execute(() -> {
		}));
	}

	@Test
	void badSettingsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DaemonTimer(" ", 1, Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> new DaemonTimer("timer", 0, Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> new DaemonTimer("timer", 1, Duration.ofMillis(-1)));
	}

	private static String threadOf(DaemonTimer timer, long delayNanos) throws Exception {
		CompletableFuture<String> thread = new CompletableFuture<>();
		Runnable task = () -> thread
			.complete(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? " daemon" : ""));
		if (delayNanos == 0) {
			timer.execute(task);
		}
		else {
			timer.schedule(task, delayNanos);
		}
		return thread.get(10, TimeUnit.SECONDS);
	}

}
