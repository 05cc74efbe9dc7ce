package io.github.idempotency.internal.servlet;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.idempotency.testapp.Executions;
import io.github.idempotency.testapp.Gate;
import io.github.idempotency.testapp.TestApplication;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every decision of the request path, fast: MockMvc against the in-memory store, no
 * server and no Redis. The same behaviour is tested over real HTTP against Redis in
 * {@link IdempotentEndpointTests}.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK,
		properties = "idempotency.store=in-memory")
class IdempotencyDecisionTests {

	private static final String ORDER = "{\"item\":\"book\"}";

	@Autowired
	WebApplicationContext context;

	@Autowired
	Executions executions;

	@Autowired
	Gate gate;

	MockMvc mvc;

	@BeforeEach
	void setUp() {
		FilterRegistrationBean<?> filter = this.context.getBean("idempotencyFilterRegistration",
				FilterRegistrationBean.class);
		this.mvc = MockMvcBuilders.webAppContextSetup(this.context).addFilters((Filter) filter.getFilter()).build();
		this.executions.reset();
	}

	@Test
	void firstRequestRunsAndTheRetryIsReplayed() throws Exception {
		String key = newKey();
		MvcResult first = send("/orders", key, ORDER).andExpect(status().isCreated())
			.andExpect(header().doesNotExist("Idempotent-Replayed"))
			.andReturn();
		send("/orders", key, ORDER).andExpect(status().isCreated())
			.andExpect(header().string("Idempotent-Replayed", "true"))
			.andExpect(header().string("Location", first.getResponse().getHeader("Location")))
			.andExpect(content().bytes(first.getResponse().getContentAsByteArray()));
		assertThat(this.executions.count("orders")).isEqualTo(1);
	}

	@Test
	void missingKeyIs400() throws Exception {
		expectProblem(send("/orders", null, ORDER), 400, "missing-key");
		assertThat(this.executions.count("orders")).isZero();
	}

	@Test
	void malformedKeyIs400() throws Exception {
		expectProblem(send("/orders", "k".repeat(256), ORDER), 400, "invalid-key");
		assertThat(this.executions.count("orders")).isZero();
	}

	@Test
	void optionalKeyRunsWithoutIdempotency() throws Exception {
		send("/optional", null, ORDER).andExpect(content().string("optional 1"));
		send("/optional", null, ORDER).andExpect(content().string("optional 2"));
	}

	@Test
	void sameKeyWithAnotherBodyIs422() throws Exception {
		String key = newKey();
		send("/orders", key, ORDER).andExpect(status().isCreated());
		expectProblem(send("/orders", key, "{\"item\":\"pen\"}"), 422, "key-reused");
		assertThat(this.executions.count("orders")).isEqualTo(1);
	}

	@Test
	void bodyOverTheLimitIs413() throws Exception {
		String huge = "{\"item\":\"" + "x".repeat(1024 * 1024) + "\"}";
		expectProblem(send("/orders", newKey(), huge), 413, "body-too-large");
		assertThat(this.executions.count("orders")).isZero();
	}

	@Test
	void duplicateWhileTheFirstRunsIs409() throws Exception {
		String key = newKey();
		CompletableFuture<MvcResult> first = firstHeldAtTheGate(key);
		expectProblem(send("/slow", key, "{}"), 409, "request-in-progress")
			.andExpect(header().string("Retry-After", "1"));
		this.gate.open();
		assertThat(first.get().getResponse().getStatus()).isEqualTo(201);
		assertThat(this.executions.count("slow")).isEqualTo(1);
	}

	@Test
	void anotherBodyWhileTheFirstRunsIs422() throws Exception {
		String key = newKey();
		CompletableFuture<MvcResult> first = firstHeldAtTheGate(key);
		expectProblem(send("/slow", key, "{\"other\":true}"), 422, "key-reused");
		this.gate.open();
		assertThat(first.get().getResponse().getStatus()).isEqualTo(201);
		assertThat(this.executions.count("slow")).isEqualTo(1);
	}

	/**
	 * Sends {@code {}} with the key to the slow endpoint and waits until it is held
	 * inside.
	 */
	private CompletableFuture<MvcResult> firstHeldAtTheGate(String key) throws InterruptedException {
		this.gate.close();
		CompletableFuture<MvcResult> first = CompletableFuture.supplyAsync(() -> {
			try {
				return send("/slow", key, "{}").andReturn();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		this.gate.awaitEntered();
		return first;
	}

	@Test
	void statusFromAnExceptionHandlerIsStored() throws Exception {
		String key = newKey();
		send("/errors/exception-handler", key, "{}").andExpect(status().isNotFound())
			.andExpect(content().string("missing 1"));
		send("/errors/exception-handler", key, "{}").andExpect(status().isNotFound())
			.andExpect(content().string("missing 1"))
			.andExpect(header().string("Idempotent-Replayed", "true"));
		assertThat(this.executions.count("exception-handler")).isEqualTo(1);
	}

	@Test
	void unstoredStatusReleasesTheKey() throws Exception {
		String key = newKey();
		send("/too-many-once", key, "{}").andExpect(status().isTooManyRequests());
		send("/too-many-once", key, "{}").andExpect(status().isCreated());
		assertThat(this.executions.count("too-many-once")).isEqualTo(2);
	}

	@Test
	void serverErrorReleasesTheKey() throws Exception {
		String key = newKey();
		send("/unavailable-once", key, "{}").andExpect(status().isServiceUnavailable());
		send("/unavailable-once", key, "{}").andExpect(content().string("attempt 2"));
	}

	@Test
	void exceptionThatEscapesReleasesTheKey() throws Exception {
		String key = newKey();
		assertThatExceptionOfType(ServletException.class).isThrownBy(() -> send("/fails-once", key, "{}"));
		send("/fails-once", key, "{}").andExpect(status().isCreated()).andExpect(content().string("attempt 2"));
	}

	@Test
	void redirectIsReplayed() throws Exception {
		String key = newKey();
		send("/results/redirect", key, "").andExpect(status().isFound())
			.andExpect(header().string("Location", "/orders?created=1"));
		send("/results/redirect", key, "").andExpect(status().isFound())
			.andExpect(header().string("Location", "/orders?created=1"))
			.andExpect(header().string("Idempotent-Replayed", "true"));
		assertThat(this.executions.count("redirect")).isEqualTo(1);
	}

	/**
	 * Sends a JSON {@code POST}. The request is built directly rather than with
	 * {@code MockMvcRequestBuilders}, whose builder methods have other binary signatures
	 * in Spring Framework 6 and 7, so the compiled test runs on both Spring Boot lines.
	 */
	private ResultActions send(String path, String key, String body) throws Exception {
		return this.mvc.perform((servletContext) -> {
			MockHttpServletRequest request = new MockHttpServletRequest(servletContext, "POST", path);
			request.setContentType(MediaType.APPLICATION_JSON_VALUE);
			request.setContent(body.getBytes(StandardCharsets.UTF_8));
			if (key != null) {
				request.addHeader("Idempotency-Key", key);
			}
			return request;
		});
	}

	private static ResultActions expectProblem(ResultActions result, int status, String type) throws Exception {
		return result.andExpect(status().is(status))
			.andExpect(content().contentType("application/problem+json"))
			.andExpect(jsonPath("$.type").value("https://idempotency.github.io/problems/" + type))
			.andExpect(jsonPath("$.status").value(status));
	}

	private static String newKey() {
		return UUID.randomUUID().toString();
	}

}
