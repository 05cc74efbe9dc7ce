package io.github.idempotency.testapp;

import java.lang.reflect.Type;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Counts every request body Spring MVC converts for a handler, as
 * {@code bound:<method name>} in {@link Executions}: a request the starter answers itself
 * is never bound.
 */
@ControllerAdvice
class BodyReads extends RequestBodyAdviceAdapter {

	private final Executions executions;

	BodyReads(Executions executions) {
		this.executions = executions;
	}

	@Override
	public boolean supports(MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		this.executions.record("bound:" + parameter.getExecutable().getName());
		return body;
	}

}
