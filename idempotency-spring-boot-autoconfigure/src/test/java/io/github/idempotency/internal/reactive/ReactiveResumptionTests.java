package io.github.idempotency.internal.reactive;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a request goes on after a store answered late, with a real Reactor Netty server:
 * the handler thread of each request reports where the resumption took it.
 */
class ReactiveResumptionTests {

	private final Scheduler otherServers = Schedulers.newSingle("other-servers");

	private DisposableServer server;

	@AfterEach
	void stop() {
		if (this.server != null) {
			this.server.disposeNow();
		}
		this.otherServers.dispose();
	}

	@Test
	void aReactorNettyRequestGoesBackToTheEventLoopOfItsConnection() throws Exception {
		ReactiveResumption resumption = new ReactiveResumption(this.otherServers);
		String answer = serve((request) -> {
			Thread connectionThread = Thread.currentThread();
			Scheduler scheduler = resumption.of(request);
			return answeredLate().publishOn(scheduler)
				.map((late) -> late + " " + (Thread.currentThread() == connectionThread) + " "
						+ (resumption.of(request) == scheduler));
		});
		assertThat(answer).isEqualTo("store true true");
	}

	@Test
	void aDecoratedRequestGoesBackToTheEventLoopOfTheConnectionUnderneath() throws Exception {
		ReactiveResumption resumption = new ReactiveResumption(this.otherServers);
		String answer = serve((request) -> {
			Thread connectionThread = Thread.currentThread();
			return answeredLate().publishOn(resumption.of(new ServerHttpRequestDecorator(request)))
				.map((late) -> late + " " + (Thread.currentThread() == connectionThread));
		});
		assertThat(answer).isEqualTo("store true");
	}

	@Test
	void withoutReactorNettyOnTheClassPathARequestGoesOnTheOtherScheduler() throws Exception {
		ReactiveResumption resumption = new ReactiveResumption(this.otherServers, false);
		String answer = serve((request) -> answeredLate().publishOn(resumption.of(request))
			.map((late) -> late + " " + Thread.currentThread().getName()));
		assertThat(answer).startsWith("store other-servers-");
	}

	@Test
	void aRequestNoReactorNettyConnectionServesGoesOnTheOtherScheduler() {
		ReactiveResumption resumption = new ReactiveResumption(this.otherServers);
		assertThat(resumption.of(MockServerHttpRequest.post("/payments").build())).isSameAs(this.otherServers);
		ServerHttpRequest ofAnotherServer = (ServerHttpRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ServerHttpRequest.class }, (proxy, method, arguments) -> null);
		assertThat(resumption.of(ofAnotherServer)).isSameAs(this.otherServers);
	}

	/** A store's answer, on a thread of the store client's own. */
	private static Mono<String> answeredLate() {
		return Mono.just("store").delayElement(Duration.ofMillis(1), Schedulers.parallel());
	}

	/** Serves one request with the handler's answer as its body, and returns the body. */
	private String serve(Function<ServerHttpRequest, Mono<String>> handler) throws Exception {
		HttpHandler http = (request, response) -> handler.apply(request)
			.flatMap((body) -> response.writeWith(Mono.just(response.bufferFactory().wrap(body.getBytes()))));
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle(new ReactorHttpHandlerAdapter(http))
			.bindNow();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.server.port() + "/"))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
		return response.body();
	}

}
