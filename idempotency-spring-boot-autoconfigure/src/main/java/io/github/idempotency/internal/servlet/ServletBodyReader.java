package io.github.idempotency.internal.servlet;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;

/**
 * Reads the body of a request to an {@code @Idempotent} method ahead of Spring MVC,
 * exactly as Spring MVC's message converters would receive it (a form post as its encoded
 * parameters), so that it can be fingerprinted before anything is bound. At most
 * {@code idempotency.max-body-size} bytes are read.
 */
final class ServletBodyReader {

	private final int maxBodyBytes;

	ServletBodyReader(long maxBodyBytes) {
		this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE - 16, maxBodyBytes);
	}

	/**
	 * Reads the body and makes it readable again. It is read from the starter's own
	 * request wrapper, so that filters between it and Spring MVC that copy the body as
	 * Spring MVC reads it ({@code ContentCachingRequestWrapper}) still see it; should
	 * such a filter have read it already, it is read as Spring MVC will read it, through
	 * the request Spring MVC was given.
	 * @param handed the request as Spring MVC hands it to the handler
	 * @param own the starter's wrapper of the request, beneath any filter that came after
	 * it
	 * @return the body, or {@code null} when it is larger than {@code max-body-size}
	 * @throws HttpMessageNotReadableException if the body cannot be read (the client went
	 * away, a malformed chunk), which Spring MVC answers with 400 as it would when
	 * binding
	 */
	byte @Nullable [] readAhead(HttpServletRequest handed, ServletReadAheadRequest own) {
		byte[] body = read(own.isBodyUnread() ? own : handed);
		if (body != null) {
			own.rewind(body);
		}
		return body;
	}

	/**
	 * Reads the body.
	 * @param request the request
	 * @return the body, or {@code null} when it is larger than {@code max-body-size}
	 * @throws HttpMessageNotReadableException if the body cannot be read (the client went
	 * away, a malformed chunk), which Spring MVC answers with 400 as it would when
	 * binding
	 */
	byte @Nullable [] read(HttpServletRequest request) {
		ServletServerHttpRequest message = new ServletServerHttpRequest(request);
		try {
			byte[] body = read(message.getBody(), request.getContentLengthLong());
			return (body.length > this.maxBodyBytes) ? null : body;
		}
		catch (IOException ex) {
			throw new HttpMessageNotReadableException("Could not read the request body: " + ex.getMessage(), ex,
					message);
		}
	}

	/**
	 * Reads at most {@code max-body-size + 1} bytes: a body of a declared length that
	 * fits into an array of exactly that size, any other in chunks.
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

}
