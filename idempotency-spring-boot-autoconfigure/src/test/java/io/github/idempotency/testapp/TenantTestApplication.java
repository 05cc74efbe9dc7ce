package io.github.idempotency.testapp;

import io.github.idempotency.IdempotencyScopeResolver;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The test application telling its callers apart in a Spring MVC interceptor of its own,
 * as many applications do without Spring Security: the {@code X-Tenant} header names the
 * tenant (none is 401), and idempotency keys are scoped by it.
 */
@Configuration(proxyBeanMethods = false)
@Import(TestApplication.class)
public class TenantTestApplication {

	private static final String TENANT = "tenant";

	@Bean
	WebMvcConfigurer tenantInterceptor() {
		return new WebMvcConfigurer() {

			@Override
			public void addInterceptors(InterceptorRegistry registry) {
				registry.addInterceptor(new HandlerInterceptor() {

					@Override
					public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
							throws Exception {
						String tenant = request.getHeader("X-Tenant");
						if (tenant == null) {
							response.sendError(401);
							return false;
						}
						request.setAttribute(TENANT, tenant);
						return true;
					}

				});
			}

		};
	}

	@Bean
	IdempotencyScopeResolver tenantScope() {
		return (request) -> {
			Object tenant = request.getAttribute(TENANT);
			return (tenant != null) ? tenant.toString() : "";
		};
	}

}
