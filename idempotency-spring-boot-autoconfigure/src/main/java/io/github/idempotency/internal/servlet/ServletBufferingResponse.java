package io.github.idempotency.internal.servlet;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * A response that passes everything through untouched until {@link #startBuffering()};
 * from then on the body is kept in memory, so the bytes the client receives are exactly
 * the bytes stored, and nothing is sent before the key is settled. A redirect becomes a
 * plain 302 with its {@code Location}, stored like any response; an error sent while
 * buffering goes to the container, which renders its error page.
 */
final class ServletBufferingResponse extends HttpServletResponseWrapper {

	private @Nullable ContentCachingResponseWrapper buffer;

	private boolean errorSent;

	ServletBufferingResponse(HttpServletResponse response) {
		super(response);
	}

	void startBuffering() {
		if (this.buffer == null) {
			this.buffer = new ContentCachingResponseWrapper((HttpServletResponse) getResponse());
			setResponse(this.buffer);
		}
	}

	/**
	 * The buffer of a response that is being buffered.
	 * @return the buffer
	 * @throws IllegalStateException while the response passes through
	 */
	ContentCachingResponseWrapper buffered() {
		ContentCachingResponseWrapper buffered = this.buffer;
		if (buffered == null) {
			throw new IllegalStateException("The response is not buffered");
		}
		return buffered;
	}

	/**
	 * Whether the handler sent an error that the container answers with its error page.
	 */
	boolean isErrorSent() {
		return this.errorSent;
	}

	/** Drops what was buffered. */
	void discard() {
		if (this.buffer != null) {
			this.buffer.resetBuffer();
		}
	}

	/** Sends what was buffered. */
	void send() throws IOException {
		if (this.buffer != null) {
			this.buffer.copyBodyToResponse();
		}
	}

	@Override
	public void sendRedirect(String location) throws IOException {
		if (this.buffer == null) {
			super.sendRedirect(location);
			return;
		}
		if (isCommitted()) {
			throw new IllegalStateException("Cannot redirect: the response is already committed");
		}
		this.buffer.resetBuffer();
		setStatus(HttpServletResponse.SC_FOUND);
		setHeader("Location", location);
	}

	@Override
	public void sendError(int status) throws IOException {
		discardForError();
		super.sendError(status);
	}

	@Override
	public void sendError(int status, String message) throws IOException {
		discardForError();
		super.sendError(status, message);
	}

	private void discardForError() {
		if (this.buffer != null) {
			this.buffer.resetBuffer();
			this.errorSent = true;
		}
	}

}
