package io.github.idempotency.sample;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.web.reactive.DispatcherHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's contract, unchanged, on the reactive stack: started as the
 * documentation says, with {@code --spring.profiles.active=reactive}, so
 * {@code POST /payments} is a WebFlux handler on Netty. springdoc's WebFlux module is not
 * in the sample, so the OpenAPI check becomes one that the stack really is WebFlux on
 * Netty.
 */
class SampleReactiveTests extends SampleApplicationTests {

	@Override
	protected List<String> storeArguments() {
		return List.of("--spring.profiles.active=reactive");
	}

	@Override
	protected String paymentsEndpoint() {
		return "ReactivePaymentController#create";
	}

	@Override
	@Test
	void theOpenApiDocumentShowsTheKeyHeaderAndTheProblemsOfPostPayments() {
		assertThat(application().getBeanNamesForType(DispatcherHandler.class)).isNotEmpty();
		assertThat(application().containsBean("nettyReactiveWebServerFactory")).isTrue();
		assertThat(application().containsBean("tomcatReactiveWebServerFactory")).isFalse();
	}

}
