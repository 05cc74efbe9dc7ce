package io.github.idempotency.testapp;

import java.util.concurrent.CountDownLatch;

/**
 * Lets a test tell a streaming endpoint that the first part of its response has arrived.
 */
public class StreamSignal {

	private volatile CountDownLatch received = new CountDownLatch(1);

	CountDownLatch reset() {
		CountDownLatch latch = new CountDownLatch(1);
		this.received = latch;
		return latch;
	}

	/** Tells the endpoint that the client has received the first part. */
	public void firstPartReceived() {
		this.received.countDown();
	}

}
