package io.github.idempotency.internal.servlet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import org.junit.jupiter.api.Test;

import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Reading a body ahead of Spring MVC, and reading it again from memory.
 */
class ServletBodyReaderTests {

	private final ServletBodyReader reader = new ServletBodyReader(16);

	@Test
	void bodyOfItsDeclaredLengthIsReadWhole() {
		assertThat(this.reader.read(request("{\"a\":1}", 7))).asString().isEqualTo("{\"a\":1}");
	}

	@Test
	void bodyWithoutADeclaredLengthIsReadWhole() {
		assertThat(this.reader.read(request("{\"a\":1}", -1))).asString().isEqualTo("{\"a\":1}");
	}

	@Test
	void bodyLongerThanItsDeclaredLengthIsReadWhole() {
		assertThat(this.reader.read(request("0123456789", 4))).asString().isEqualTo("0123456789");
	}

	@Test
	void bodyShorterThanItsDeclaredLengthIsWhatArrived() {
		assertThat(this.reader.read(request("0123", 9))).asString().isEqualTo("0123");
	}

	@Test
	void bodyOfExactlyTheLimitIsRead() {
		assertThat(this.reader.read(request("0123456789abcdef", 16))).hasSize(16);
		assertThat(this.reader.read(request("0123456789abcdef", -1))).hasSize(16);
	}

	@Test
	void bodyOverTheLimitIsNull() {
		assertThat(this.reader.read(request("0123456789abcdefg", 17))).isNull();
		assertThat(this.reader.read(request("0123456789abcdefg", -1))).isNull();
		assertThat(this.reader.read(request("0123456789abcdefg", 4))).isNull();
	}

	@Test
	void bodyOverTheLimitIsReadNoFurtherThanOneByteBeyondIt() throws IOException {
		String body = "x".repeat(40);
		for (long declared : new long[] { -1, 4, 40 }) {
			MockHttpServletRequest request = request(body, declared);
			assertThat(this.reader.read(request)).isNull();
			assertThat(request.getInputStream().readAllBytes()).hasSize(40 - 17);
		}
	}

	@Test
	void bodyLongerThanDeclaredWhoseNextByteIsZeroIsReadWhole() {
		MockHttpServletRequest request = request("", 2);
		request.setContent(new byte[] { 'a', 'b', 0, 'c' });
		assertThat(this.reader.read(request)).containsExactly('a', 'b', 0, 'c');
	}

	@Test
	void declaredLengthBeyondTheIntegerRangeIsReadInChunks() {
		assertThat(this.reader.read(request("0123", 3_000_000_000L))).asString().isEqualTo("0123");
	}

	@Test
	void emptyBodyIsEmpty() {
		assertThat(this.reader.read(request("", 0))).isEmpty();
		assertThat(this.reader.read(request("", -1))).isEmpty();
	}

	@Test
	void formPostIsReadAsSpringMvcEncodesItsParameters() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/form");
		request.setContentType("application/x-www-form-urlencoded");
		request.addParameter("to", "ann lee");
		request.addParameter("amount", "100");
		assertThat(new ServletBodyReader(1024).read(request)).asString().isEqualTo("to=ann+lee&amount=100");
	}

	@Test
	void bodyThatCannotBeReadIsWhatSpringMvcAnswersWith400() {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders") {

			@Override
			public ServletInputStream getInputStream() {
				return new FailingStream();
			}

		};
		request.setContentType("application/json");
		assertThatExceptionOfType(HttpMessageNotReadableException.class).isThrownBy(() -> this.reader.read(request))
			.withMessageContaining("connection reset");
	}

	@Test
	void bodyReadAheadIsReadAgainFromTheStart() throws IOException {
		MockHttpServletRequest original = request("{\"a\":1}", 7);
		ServletReadAheadRequest request = new ServletReadAheadRequest(original);
		byte[] body = this.reader.readAhead(request, request);
		try (InputStream again = request.getInputStream()) {
			assertThat(again.readAllBytes()).isEqualTo(body);
			assertThat(request.getInputStream().isFinished()).isTrue();
		}
	}

	@Test
	void bodyAFilterAlreadyReadIsReadAsSpringMvcWillReadIt() throws IOException {
		MockHttpServletRequest original = request("{\"a\":1}", 7);
		ServletReadAheadRequest own = new ServletReadAheadRequest(original);
		byte[] copy = own.getInputStream().readAllBytes();
		MockHttpServletRequest copied = request(new String(copy, StandardCharsets.UTF_8), copy.length);
		assertThat(own.isBodyUnread()).isFalse();
		assertThat(this.reader.readAhead(copied, own)).asString().isEqualTo("{\"a\":1}");
		assertThat(own.getInputStream().readAllBytes()).asString().isEqualTo("{\"a\":1}");
	}

	@Test
	void bodyTooLargeToReadAheadIsNotRewound() throws IOException {
		ServletReadAheadRequest own = new ServletReadAheadRequest(request("0123456789abcdefg", 17));
		assertThat(this.reader.readAhead(own, own)).isNull();
		assertThat(own.getInputStream().readAllBytes()).isEmpty();
	}

	@Test
	void formPostIsReadAheadFromItsParametersWithoutOpeningTheStream() {
		MockHttpServletRequest original = new MockHttpServletRequest("POST", "/form") {

			@Override
			public ServletInputStream getInputStream() {
				throw new IllegalStateException("the container would no longer parse the form");
			}

		};
		original.setContentType("application/x-www-form-urlencoded;charset=UTF-8");
		original.setContent("amount=100".getBytes(StandardCharsets.UTF_8));
		original.addParameter("amount", "100");
		ServletReadAheadRequest own = new ServletReadAheadRequest(original);
		assertThat(own.isBodyUnread()).isTrue();
		assertThat(new ServletBodyReader(1024).readAhead(own, own)).asString().isEqualTo("amount=100");
	}

	@Test
	void formPutIsReadAsAStream() throws IOException {
		MockHttpServletRequest original = new MockHttpServletRequest("PUT", "/form");
		original.setContentType("application/x-www-form-urlencoded");
		original.setContent("amount=100".getBytes(StandardCharsets.UTF_8));
		ServletReadAheadRequest own = new ServletReadAheadRequest(original);
		assertThat(own.isBodyUnread()).isTrue();
		original.getInputStream().readAllBytes();
		assertThat(own.isBodyUnread()).isFalse();
	}

	@Test
	void bodyReadAsTextByAFilterIsNotUnread() throws IOException {
		MockHttpServletRequest original = request("{\"a\":1}", 7);
		ServletReadAheadRequest own = new ServletReadAheadRequest(original);
		original.getReader().readLine();
		assertThat(own.isBodyUnread()).isFalse();
	}

	@Test
	void emptyOrRewoundBodyIsUnread() throws IOException {
		assertThat(new ServletReadAheadRequest(request("", 0)).isBodyUnread()).isTrue();
		MockHttpServletRequest original = request("{}", 2);
		ServletReadAheadRequest own = new ServletReadAheadRequest(original);
		original.getInputStream().readAllBytes();
		own.rewind(new byte[] { '{', '}' });
		assertThat(own.isBodyUnread()).isTrue();
	}

	@Test
	void rewoundBodyIsReadByteByByteAndTellsWhatIsLeft() throws IOException {
		ServletReadAheadRequest request = new ServletReadAheadRequest(request("", 0));
		request.rewind(new byte[] { 7, 8 });
		ServletInputStream body = request.getInputStream();
		assertThat(body.isReady()).isTrue();
		assertThat(body.available()).isEqualTo(2);
		assertThat(body.read()).isEqualTo(7);
		assertThat(body.isFinished()).isFalse();
		assertThat(body.read()).isEqualTo(8);
		assertThat(body.read()).isEqualTo(-1);
		assertThat(body.isFinished()).isTrue();
	}

	@Test
	void bodyReadAheadIsReadAgainAsTextInItsEncoding() throws IOException {
		MockHttpServletRequest original = new MockHttpServletRequest("POST", "/notes");
		original.setContentType("text/plain;charset=UTF-8");
		original.setCharacterEncoding("UTF-8");
		ServletReadAheadRequest request = new ServletReadAheadRequest(original);
		request.rewind("caf\u00e9".getBytes(StandardCharsets.UTF_8));
		try (BufferedReader text = request.getReader()) {
			assertThat(text.readLine()).isEqualTo("caf\u00e9");
		}
	}

	@Test
	void requestNotReadAheadPassesThrough() throws IOException {
		MockHttpServletRequest original = request("untouched", 9);
		ServletReadAheadRequest request = new ServletReadAheadRequest(original);
		assertThat(request.getInputStream().readAllBytes()).asString().isEqualTo("untouched");
		try (BufferedReader text = new ServletReadAheadRequest(request("as text", 7)).getReader()) {
			assertThat(text.readLine()).isEqualTo("as text");
		}
	}

	@Test
	void readListenerThatFailsHearsItsOwnFailure() throws IOException {
		ServletReadAheadRequest request = new ServletReadAheadRequest(request("", 0));
		request.rewind(new byte[] { 1 });
		StringBuilder heard = new StringBuilder();
		request.getInputStream().setReadListener(new ReadListener() {

			@Override
			public void onDataAvailable() throws IOException {
				throw new IOException("handler failed");
			}

			@Override
			public void onAllDataRead() {
				heard.append("all");
			}

			@Override
			public void onError(Throwable failure) {
				heard.append(failure.getMessage());
			}

		});
		assertThat(heard).hasToString("handler failed");
	}

	@Test
	void readListenerHearsTheWholeBodyAtOnce() throws IOException {
		ServletReadAheadRequest request = new ServletReadAheadRequest(request("", 0));
		request.rewind(new byte[] { 1, 2 });
		StringBuilder heard = new StringBuilder();
		request.getInputStream().setReadListener(new ReadListener() {

			@Override
			public void onDataAvailable() {
				heard.append("data ");
			}

			@Override
			public void onAllDataRead() {
				heard.append("all");
			}

			@Override
			public void onError(Throwable failure) {
				heard.append("error");
			}

		});
		assertThat(heard).hasToString("data all");
	}

	private static MockHttpServletRequest request(String body, long contentLength) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/orders") {

			@Override
			public long getContentLengthLong() {
				return contentLength;
			}

		};
		request.setContentType("application/json");
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		return request;
	}

	private static final class FailingStream extends ServletInputStream {

		@Override
		public int read() throws IOException {
			throw new IOException("connection reset");
		}

		@Override
		public boolean isFinished() {
			return false;
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
		}

	}

}
