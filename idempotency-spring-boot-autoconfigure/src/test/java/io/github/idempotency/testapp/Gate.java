package io.github.idempotency.testapp;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the slow endpoint inside its business code until a test opens the gate, so a test
 * can send duplicates while the first request is provably still running.
 */
public class Gate {

	private volatile CountDownLatch entered = new CountDownLatch(1);

	private volatile CountDownLatch open = new CountDownLatch(1);

	/** Closes the gate for the next request. */
	public void close() {
		this.entered = new CountDownLatch(1);
		this.open = new CountDownLatch(1);
	}

	/** Lets every waiting request finish. */
	public void open() {
		this.open.countDown();
	}

	/**
	 * Waits until a request is inside the slow endpoint.
	 * @throws InterruptedException if interrupted
	 */
	public void awaitEntered() throws InterruptedException {
		if (!this.entered.await(30, TimeUnit.SECONDS)) {
			throw new IllegalStateException("No request entered the slow endpoint within 30 s");
		}
	}

	/**
	 * Called by the business code: tells the test it entered, and waits until the gate
	 * opens.
	 * @throws InterruptedException if interrupted
	 */
	public void pass() throws InterruptedException {
		this.entered.countDown();
		if (!this.open.await(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("The gate was not opened within 60 s");
		}
	}

}
