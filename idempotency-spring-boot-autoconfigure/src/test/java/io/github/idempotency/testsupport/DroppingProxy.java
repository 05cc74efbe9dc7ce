package io.github.idempotency.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP proxy between a client and a real server that can lose answers the way networks
 * do: it forwards a request, lets the server run it, and then drops the connection
 * instead of answering ("timeout after success"), or drops it at once while the server
 * still runs the request. It records every request's {@code Idempotency-Key} header and
 * every status it passed on, so a test can tell whether all attempts of a call carried
 * one key.
 */
public final class DroppingProxy implements AutoCloseable {

	private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "transfer-encoding",
			"keep-alive", "upgrade", "expect");

	private final HttpServer server;

	private final URI target;

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final AtomicInteger dropAfterAnswer = new AtomicInteger();

	private final AtomicInteger dropAtOnce = new AtomicInteger();

	private final List<String> keys = new CopyOnWriteArrayList<>();

	private final List<Integer> statuses = new CopyOnWriteArrayList<>();

	private DroppingProxy(URI target) throws IOException {
		this.target = target;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.setExecutor(Executors.newCachedThreadPool());
		this.server.createContext("/", this::forward);
		this.server.start();
	}

	/**
	 * Starts a proxy.
	 * @param target the server's base URI, e.g. {@code http://127.0.0.1:8080}
	 * @return the running proxy
	 */
	public static DroppingProxy to(URI target) {
		try {
			return new DroppingProxy(target);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the proxy", ex);
		}
	}

	/**
	 * @return the proxy's base URI
	 */
	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	/**
	 * The next requests reach the server and run, but their answers never reach the
	 * client.
	 * @param requests how many
	 */
	public void dropAnswers(int requests) {
		this.dropAfterAnswer.set(requests);
	}

	/**
	 * The next requests are sent to the server, and the client's connection is dropped at
	 * once, while the server still runs them.
	 * @param requests how many
	 */
	public void dropAtOnce(int requests) {
		this.dropAtOnce.set(requests);
	}

	/**
	 * @return the {@code Idempotency-Key} of every request so far, {@code null} where
	 * there was none
	 */
	public List<String> keys() {
		return Collections.unmodifiableList(new ArrayList<>(this.keys));
	}

	/**
	 * @return the status of every answer the server gave so far, dropped ones included
	 */
	public List<Integer> statuses() {
		return List.copyOf(this.statuses);
	}

	private void forward(HttpExchange exchange) throws IOException {
		this.keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
		byte[] body = exchange.getRequestBody().readAllBytes();
		HttpRequest.Builder request = HttpRequest.newBuilder(this.target.resolve(exchange.getRequestURI()))
			.method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
		exchange.getRequestHeaders().forEach((name, values) -> {
			if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
				values.forEach((value) -> request.header(name, value));
			}
		});
		if (takeOne(this.dropAtOnce)) {
			this.client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
				.thenAccept((response) -> this.statuses.add(response.statusCode()));
			drop(exchange);
			return;
		}
		HttpResponse<byte[]> response;
		try {
			response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			drop(exchange);
			return;
		}
		this.statuses.add(response.statusCode());
		if (takeOne(this.dropAfterAnswer)) {
			drop(exchange);
			return;
		}
		response.headers().map().forEach((name, values) -> {
			if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
				exchange.getResponseHeaders().put(name, values);
			}
		});
		exchange.sendResponseHeaders(response.statusCode(),
				(response.body().length == 0) ? -1 : response.body().length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(response.body());
		}
	}

	private static boolean takeOne(AtomicInteger counter) {
		return counter.getAndUpdate((left) -> Math.max(0, left - 1)) > 0;
	}

	/**
	 * Closes the client's connection without an answer (the JDK's server does, before any
	 * header is sent).
	 */
	private static void drop(HttpExchange exchange) {
		exchange.close();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
