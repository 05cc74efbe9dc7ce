package io.github.idempotency.internal.servlet;

import java.net.http.HttpResponse;
import java.util.UUID;

import io.github.idempotency.testapp.ApiOrders;
import io.github.idempotency.testapp.AuditAspect;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;

import static io.github.idempotency.testapp.TestHttp.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @Idempotent} is found wherever Spring MVC finds the mapping: on the handler
 * method, on an interface it implements, on a superclass method it overrides; also when
 * the controller is a CGLIB proxy of another aspect.
 */
class HandlerDiscoveryTests extends RunningInMemoryApp {

	@Autowired
	ApiOrders apiOrders;

	@Autowired
	AuditAspect auditAspect;

	@Test
	void annotationOnAnImplementedInterfaceIsApplied() {
		assertAppliedTo("/api/orders", "api-orders", "api order 1");
	}

	@Test
	void annotationOnTheInterfaceOfACglibProxiedControllerIsApplied() {
		assertThat(AopUtils.isCglibProxy(this.apiOrders)).isTrue();
		int auditedBefore = this.auditAspect.calls();
		assertAppliedTo("/api/audited-orders", "audited-orders", "audited order 1");
		assertThat(this.auditAspect.calls() - auditedBefore).isEqualTo(1);
	}

	@Test
	void annotationOnAnOverriddenSuperclassMethodIsApplied() {
		assertAppliedTo("/receipts", "receipts", "receipt 1");
	}

	private void assertAppliedTo(String path, String endpoint, String firstBody) {
		HttpResponse<byte[]> missing = this.http.post(path, null, "{}");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(body(missing)).contains("missing-key");
		assertThat(this.executions.count(endpoint)).isZero();

		String key = UUID.randomUUID().toString();
		HttpResponse<byte[]> first = this.http.post(path, key, "{}");
		HttpResponse<byte[]> replay = this.http.post(path, key, "{}");
		assertThat(first.statusCode()).isEqualTo(201);
		assertThat(body(first)).isEqualTo(firstBody);
		assertThat(replay.statusCode()).isEqualTo(201);
		assertThat(body(replay)).isEqualTo(firstBody);
		assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
		assertThat(this.executions.count(endpoint)).isEqualTo(1);
	}

}
