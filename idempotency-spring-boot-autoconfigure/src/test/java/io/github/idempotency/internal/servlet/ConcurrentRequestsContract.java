package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import io.github.idempotency.testapp.RunningApp;
import io.github.idempotency.testapp.TestHttp;
import io.github.idempotency.testsupport.Burst;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many requests at once, on one instance and on two instances sharing a store, with real
 * threads and real HTTP. Subclasses say which store the instances share: a Redis by
 * default, or another store by overriding {@link #store()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConcurrentRequestsContract {

	private static final int REQUESTS = 50;

	private static final String ORDER = "{\"item\":\"book\"}";

	private RunningApp first;

	private RunningApp second;

	/**
	 * @return the settings of the store both instances use ({@code spring.data.redis.*},
	 * {@code spring.datasource.*})
	 */
	protected abstract List<String> storeSettings();

	/**
	 * @return the {@code idempotency.store} both instances use
	 */
	protected String store() {
		return "redis";
	}

	@BeforeAll
	void startTwoInstances() {
		List<String> properties = new ArrayList<>(storeSettings());
		properties.add("idempotency.store=" + store());
		properties.add("server.tomcat.threads.max=" + (REQUESTS * 2));
		this.first = RunningApp.start(properties.toArray(String[]::new));
		this.second = RunningApp.start(properties.toArray(String[]::new));
	}

	protected RunningApp first() {
		return this.first;
	}

	protected RunningApp second() {
		return this.second;
	}

	@AfterAll
	void stopInstances() {
		try {
			this.first.close();
			this.second.close();
		}
		finally {
			closeStore();
		}
	}

	/**
	 * Gives back what {@link #storeSettings()} started, once both instances stopped.
	 * JUnit does not run an {@code @AfterAll} method that a subclass overrides, so
	 * subclasses override this instead.
	 */
	protected void closeStore() {
	}

	@Test
	void fiftyIdenticalRequestsRunTheMethodOnce() throws Exception {
		this.first.executions().reset();
		String key = UUID.randomUUID().toString();
		List<HttpResponse<byte[]>> responses = sendAtOnce((i) -> () -> this.first.http().post("/orders", key, ORDER));

		assertThat(this.first.executions().count("orders")).isEqualTo(1);
		assertOneExecutionOthersConflictOrReplay(responses);
	}

	@Test
	void fiftyDistinctKeysRunTheMethodFiftyTimes() throws Exception {
		this.first.executions().reset();
		List<HttpResponse<byte[]>> responses = sendAtOnce(
				(i) -> () -> this.first.http().post("/orders", UUID.randomUUID().toString(), ORDER));
		assertThat(responses).allSatisfy((response) -> assertThat(response.statusCode()).isEqualTo(201));
		assertThat(this.first.executions().count("orders")).isEqualTo(REQUESTS);
	}

	@Test
	void twoInstancesSharingTheStoreRunTheMethodOnce() throws Exception {
		this.first.executions().reset();
		this.second.executions().reset();
		String key = UUID.randomUUID().toString();
		TestHttp[] instances = { this.first.http(), this.second.http() };
		List<HttpResponse<byte[]>> responses = sendAtOnce((i) -> () -> instances[i % 2].post("/orders", key, ORDER));

		assertThat(this.first.executions().count("orders") + this.second.executions().count("orders")).isEqualTo(1);
		assertOneExecutionOthersConflictOrReplay(responses);
	}

	private static void assertOneExecutionOthersConflictOrReplay(List<HttpResponse<byte[]>> responses) {
		List<HttpResponse<byte[]>> created = responses.stream().filter((r) -> r.statusCode() == 201).toList();
		assertThat(responses).allSatisfy((r) -> assertThat(r.statusCode()).isIn(201, 409));
		assertThat(created).isNotEmpty();
		assertThat(created.stream().filter((r) -> r.headers().firstValue("Idempotent-Replayed").isEmpty())).hasSize(1);
		byte[] original = created.get(0).body();
		assertThat(created).allSatisfy((r) -> assertThat(r.body()).isEqualTo(original));
	}

	private static List<HttpResponse<byte[]>> sendAtOnce(IntFunction<Callable<HttpResponse<byte[]>>> request)
			throws Exception {
		return Burst.send(IntStream.range(0, REQUESTS).mapToObj(request).toList());
	}

}
