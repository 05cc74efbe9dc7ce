package io.github.idempotency.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.reflect.Type;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ControllerAdvice;
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
	 * @param maxBodySize the largest request body that is kept
	 */
	public IdempotencyRequestBodyAdvice(DataSize maxBodySize) {
		Assert.isTrue(maxBodySize != null && maxBodySize.toBytes() > 0, "maxBodySize must be positive");
		this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE - 16, maxBodySize.toBytes());
	}

	/**
	 * Supports every body; {@link #beforeBodyRead} keeps only those of requests that Spring MVC
	 * mapped to an {@code @Idempotent} handler.
	 */
	@Override
	public boolean supports(MethodParameter methodParameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public HttpInputMessage beforeBodyRead(HttpInputMessage inputMessage, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
		HttpServletRequest request = IdempotencyExchange.currentRequest();
		IdempotencyExchange exchange = (request != null) ? IdempotencyExchange.of(request) : null;
		if (exchange == null || !exchange.isIdempotent()) {
			return inputMessage;
		}
		InputStream body = inputMessage.getBody();
		byte[] head = read(body, inputMessage.getHeaders().getContentLength());
		if (head.length > this.maxBodyBytes) {
			exchange.markRequestBodyTooLarge();
			return message(inputMessage.getHeaders(), new SequenceInputStream(new ByteArrayInputStream(head), body));
		}
		exchange.requestBody(head);
		return message(inputMessage.getHeaders(), new ByteArrayInputStream(head));
	}

	/**
	 * Reads at most {@code max-body-size + 1} bytes: a body of a declared length that fits
	 * into an array of exactly that size, any other in chunks.
	 */
	private byte[] read(InputStream body, long contentLength) throws IOException {
		if (contentLength < 0 || contentLength > this.maxBodyBytes) {
			return body.readNBytes(this.maxBodyBytes + 1);
		}
		byte[] declared = body.readNBytes((int) contentLength);
		int next = (declared.length == contentLength) ? body.read() : -1;
		if (next < 0) {
			return declared;
		}
		byte[] rest = body.readNBytes(this.maxBodyBytes - declared.length);
		byte[] all = new byte[declared.length + 1 + rest.length];
		System.arraycopy(declared, 0, all, 0, declared.length);
		all[declared.length] = (byte) next;
		System.arraycopy(rest, 0, all, declared.length + 1, rest.length);
		return all;
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
