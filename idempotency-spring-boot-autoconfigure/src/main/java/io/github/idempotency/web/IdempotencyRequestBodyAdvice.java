package io.github.idempotency.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.reflect.Type;

import io.github.idempotency.Idempotent;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Keeps the body of a request to an {@code @Idempotent} method as it is read, so the request
 * can be fingerprinted. At most {@code idempotency.max-body-size} bytes are kept; a larger body
 * is passed on unchanged and the request is refused with 413 before the method runs.
 */
@ControllerAdvice
public final class IdempotencyRequestBodyAdvice extends RequestBodyAdviceAdapter {

	private final int maxBodyBytes;

	/**
	 * Creates the advice.
	 * @param handler supplies the body size limit
	 */
	public IdempotencyRequestBodyAdvice(IdempotentRequestHandler handler) {
		Assert.notNull(handler, "handler must not be null");
		this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE - 16, handler.maxBodySize().toBytes());
	}

	@Override
	public boolean supports(MethodParameter methodParameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return methodParameter.hasMethodAnnotation(Idempotent.class);
	}

	@Override
	public HttpInputMessage beforeBodyRead(HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		IdempotencyExchange exchange = (attributes instanceof ServletRequestAttributes servletAttributes)
				? IdempotencyExchange.of(servletAttributes.getRequest()) : null;
		if (exchange == null || exchange.capture() == null) {
			return inputMessage;
		}
		InputStream body = inputMessage.getBody();
		byte[] head = body.readNBytes(this.maxBodyBytes + 1);
		if (head.length > this.maxBodyBytes) {
			exchange.markRequestBodyTooLarge();
			return message(inputMessage.getHeaders(), new SequenceInputStream(new ByteArrayInputStream(head), body));
		}
		exchange.requestBody(head);
		return message(inputMessage.getHeaders(), new ByteArrayInputStream(head));
	}

	private static HttpInputMessage message(HttpHeaders headers, InputStream body) {
		return new HttpInputMessage() {

			@Override
			public InputStream getBody() {
				return body;
			}

			@Override
			public HttpHeaders getHeaders() {
				return headers;
			}

		};
	}

}
