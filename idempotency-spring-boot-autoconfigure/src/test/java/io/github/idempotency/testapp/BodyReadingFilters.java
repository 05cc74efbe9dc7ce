package io.github.idempotency.testapp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.Filter;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.util.ContentCachingRequestWrapper;

/**
 * Two filters that applications put between the starter's filter and Spring MVC (at the
 * default, lowest order): one copies the body as Spring MVC reads it, to log it; one
 * reads the whole body first, to verify a signature, and hands on a copy.
 */
@Configuration(proxyBeanMethods = false)
class BodyReadingFilters {

	@Bean
	FilterRegistrationBean<Filter> bodyLoggingFilter(Executions executions) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
			ContentCachingRequestWrapper logged = new ContentCachingRequestWrapper((HttpServletRequest) request, 4096);
			chain.doFilter(logged, response);
			executions.record("logged:" + logged.getContentAsString());
		});
		registration.addUrlPatterns("/logged-orders");
		return registration;
	}

	@Bean
	FilterRegistrationBean<Filter> signatureFilter() {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
			byte[] body = request.getInputStream().readAllBytes();
			chain.doFilter(new CopiedBody((HttpServletRequest) request, body), response);
		});
		registration.addUrlPatterns("/signed-orders");
		return registration;
	}

	/** Serves a body read before, afresh on every call, as signature filters do. */
	private static final class CopiedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		CopiedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream bytes = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return bytes.read();
				}

				@Override
				public boolean isFinished() {
					return bytes.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException();
				}

			};
		}

		@Override
		public java.io.BufferedReader getReader() throws IOException {
			return new java.io.BufferedReader(new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

	}

}
