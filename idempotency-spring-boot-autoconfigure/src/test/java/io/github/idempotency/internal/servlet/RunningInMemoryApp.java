package io.github.idempotency.internal.servlet;

import io.github.idempotency.testapp.Executions;
import io.github.idempotency.testapp.TestApplication;
import io.github.idempotency.testapp.TestHttp;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The test application on a random port with the in-memory store, shared by the tests of
 * the web layer: real HTTP, no Redis, execution counts reset before each test.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "idempotency.store=in-memory")
abstract class RunningInMemoryApp {

	@LocalServerPort
	int port;

	@Autowired
	Executions executions;

	TestHttp http;

	@BeforeEach
	void startCounting() {
		this.http = new TestHttp(this.port);
		this.executions.reset();
	}

}
