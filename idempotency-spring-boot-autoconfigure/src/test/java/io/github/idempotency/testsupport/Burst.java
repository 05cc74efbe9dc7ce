package io.github.idempotency.testsupport;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Requests released at the same moment, each from a thread of its own, for concurrency
 * tests with real threads and real HTTP.
 */
public final class Burst {

	private Burst() {
	}

	/**
	 * Sends every request at once and waits for all responses.
	 * @param requests the requests
	 * @return the responses, in the order of the requests
	 * @throws Exception if a request failed
	 */
	public static List<HttpResponse<byte[]>> send(List<Callable<HttpResponse<byte[]>>> requests) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(requests.size());
		try {
			CountDownLatch ready = new CountDownLatch(requests.size());
			CountDownLatch go = new CountDownLatch(1);
			List<Future<HttpResponse<byte[]>>> futures = new ArrayList<>();
			for (Callable<HttpResponse<byte[]>> request : requests) {
				futures.add(executor.submit(() -> {
					ready.countDown();
					go.await();
					return request.call();
				}));
			}
			ready.await();
			go.countDown();
			List<HttpResponse<byte[]>> responses = new ArrayList<>();
			for (Future<HttpResponse<byte[]>> future : futures) {
				responses.add(future.get());
			}
			return responses;
		}
		finally {
			executor.shutdownNow();
		}
	}

}
