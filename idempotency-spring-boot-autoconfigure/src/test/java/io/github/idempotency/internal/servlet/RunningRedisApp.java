package io.github.idempotency.internal.servlet;

import io.github.idempotency.testapp.Executions;
import io.github.idempotency.testapp.Gate;
import io.github.idempotency.testapp.TestApplication;
import io.github.idempotency.testapp.TestHttp;
import io.github.idempotency.testsupport.TestRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The test application on a random port with the Redis store, on the suite's real Redis,
 * shared by the tests of the web layer that need Redis: real HTTP, execution counts reset
 * before each test. The renewal limit is shorter than the slowest test call: a call that
 * outlives it loses its claim, as a hung call does.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "idempotency.store=redis", "idempotency.key-prefix=endpoint-tests",
				"idempotency.renewal-limit=2s" })
@ExtendWith(OutputCaptureExtension.class)
abstract class RunningRedisApp {

	@DynamicPropertySource
	static void redis(DynamicPropertyRegistry registry) {
		TestRedis.register(registry);
	}

	@LocalServerPort
	int port;

	@Autowired
	Executions executions;

	@Autowired
	Gate gate;

	TestHttp http;

	@BeforeEach
	void startCounting() {
		this.http = new TestHttp(this.port);
		this.executions.reset();
	}

}
