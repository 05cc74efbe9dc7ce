package io.github.idempotency.internal.servlet;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

/**
 * A request whose body the starter may read ahead, before Spring MVC binds the handler's
 * arguments, to fingerprint it: once {@link #rewind rewound}, the body is read again from
 * the bytes kept in memory. A request whose body was not read ahead passes through
 * untouched.
 */
final class ServletReadAheadRequest extends HttpServletRequestWrapper {

	private @Nullable Body body;

	ServletReadAheadRequest(HttpServletRequest request) {
		super(request);
	}

	/**
	 * Whether nothing has read the body yet: a filter between the starter's filter and
	 * Spring MVC may have read it already (to verify a signature, say) and serve it from
	 * a copy of its own. A form post is never read as a stream here: the container parses
	 * its body into parameters only while nobody has opened the stream.
	 * @return {@code true} when the body can be read from here
	 */
	boolean isBodyUnread() {
		if (this.body != null || getContentLengthLong() == 0 || isFormPost()) {
			return true;
		}
		try {
			return !getRequest().getInputStream().isFinished();
		}
		catch (IOException | IllegalStateException ex) {
			return false;
		}
	}

	/**
	 * A form post as Spring MVC tells one, whose body it reads from the request's
	 * parameters.
	 */
	private boolean isFormPost() {
		String contentType = getContentType();
		return contentType != null && contentType.contains(MediaType.APPLICATION_FORM_URLENCODED_VALUE)
				&& HttpMethod.POST.matches(getMethod());
	}

	/**
	 * Makes the request's body readable again, from the start.
	 * @param bytes the whole body, as it was read ahead
	 */
	void rewind(byte[] bytes) {
		this.body = new Body(bytes);
	}

	@Override
	public ServletInputStream getInputStream() throws IOException {
		return (this.body != null) ? this.body : super.getInputStream();
	}

	@Override
	public BufferedReader getReader() throws IOException {
		if (this.body == null) {
			return super.getReader();
		}
		String encoding = getCharacterEncoding();
		Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
		return new BufferedReader(new InputStreamReader(this.body, charset));
	}

	/** A body held in memory, read once. */
	private static final class Body extends ServletInputStream {

		private final ByteArrayInputStream bytes;

		Body(byte[] bytes) {
			this.bytes = new ByteArrayInputStream(bytes);
		}

		@Override
		public int read() {
			return this.bytes.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			return this.bytes.read(buffer, offset, length);
		}

		@Override
		public int available() {
			return this.bytes.available();
		}

		@Override
		public boolean isFinished() {
			return this.bytes.available() == 0;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		/**
		 * The whole body is in memory: the listener is told at once that it can read all
		 * of it.
		 */
		@Override
		public void setReadListener(ReadListener listener) {
			try {
				if (!isFinished()) {
					listener.onDataAvailable();
				}
				listener.onAllDataRead();
			}
			catch (IOException ex) {
				listener.onError(ex);
			}
		}

	}

}
