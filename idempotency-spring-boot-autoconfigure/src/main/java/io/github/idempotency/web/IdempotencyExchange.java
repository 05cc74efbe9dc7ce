package io.github.idempotency.web;

import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * The state of one request as it passes the filter, the body advice and the aspect. Lives in
 * a request attribute; touched by the request's own thread only.
 */
final class IdempotencyExchange {

	private static final String ATTRIBUTE = IdempotencyExchange.class.getName();

	private final ContentCachingResponseWrapper capture;

	private byte[] requestBody = new byte[0];

	private boolean requestBodyTooLarge;

	private Claim claim;

	private Reply reply;

	IdempotencyExchange(ContentCachingResponseWrapper capture) {
		this.capture = capture;
	}

	static IdempotencyExchange of(HttpServletRequest request) {
		return (IdempotencyExchange) request.getAttribute(ATTRIBUTE);
	}

	void bindTo(HttpServletRequest request) {
		request.setAttribute(ATTRIBUTE, this);
	}

	/** The response buffer, present when the request carried a key header. */
	ContentCachingResponseWrapper capture() {
		return this.capture;
	}

	byte[] requestBody() {
		return this.requestBody;
	}

	void requestBody(byte[] body) {
		this.requestBody = body;
	}

	boolean isRequestBodyTooLarge() {
		return this.requestBodyTooLarge;
	}

	void markRequestBodyTooLarge() {
		this.requestBodyTooLarge = true;
	}

	Claim claim() {
		return this.claim;
	}

	void claimed(Claim claim) {
		this.claim = claim;
	}

	Reply reply() {
		return this.reply;
	}

	/** Answers the request with {@code reply} instead of what the handler produces. */
	void replyWith(Reply reply) {
		this.reply = reply;
	}

	/**
	 * A key this request claimed and still has to complete or release.
	 * @param storageKey the store key
	 * @param owner the owner token
	 * @param method the idempotent method
	 * @param headersBefore the response headers before the handler ran
	 */
	record Claim(String storageKey, String owner, IdempotentMethod method, Map<String, List<String>> headersBefore) {
	}

	/** A response the starter writes itself once the handler has returned. */
	@FunctionalInterface
	interface Reply {

		void writeTo(jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException;

	}

}
