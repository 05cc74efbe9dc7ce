package io.github.idempotency.internal.http;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

class RequestFingerprinterTests {

	private final RequestFingerprinter fingerprinter = new RequestFingerprinter();

	private String fingerprint(String method, String uri, String contentType, String body) {
		MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
		request.setContentType(contentType);
		return fingerprint(request, body.getBytes(StandardCharsets.UTF_8));
	}

	private String fingerprint(MockHttpServletRequest request, byte[] body) {
		return this.fingerprinter.fingerprint(request.getMethod(), request.getRequestURI(), request.getParameterMap(),
				request.getContentType(), body);
	}

	@Test
	void jsonMemberOrderAndWhitespaceDoNotChangeTheFingerprint() {
		assertThat(fingerprint("POST", "/p", "application/json", "{\"a\":1,\"b\":{\"y\":[1,2],\"x\":\"s\"}}"))
			.isEqualTo(fingerprint("POST", "/p", "application/json; charset=UTF-8",
					"{ \"b\" : { \"x\":\"s\", \"y\":[ 1, 2 ] },\n \"a\":1 }"));
	}

	@Test
	void differentJsonValuesDiffer() {
		assertThat(fingerprint("POST", "/p", "application/json", "{\"amount\":1000}"))
			.isNotEqualTo(fingerprint("POST", "/p", "application/json", "{\"amount\":2000}"));
		assertThat(fingerprint("POST", "/p", "application/json", "[1,2]"))
			.isNotEqualTo(fingerprint("POST", "/p", "application/json", "[2,1]"));
	}

	@Test
	void methodPathAndQueryArePartOfTheFingerprint() {
		String base = fingerprint("POST", "/p", "application/json", "{}");
		assertThat(fingerprint("PUT", "/p", "application/json", "{}")).isNotEqualTo(base);
		assertThat(fingerprint("POST", "/q", "application/json", "{}")).isNotEqualTo(base);
		MockHttpServletRequest withQuery = new MockHttpServletRequest("POST", "/p");
		withQuery.setContentType("application/json");
		withQuery.setQueryString("dryRun=true");
		withQuery.addParameter("dryRun", "true");
		assertThat(fingerprint(withQuery, "{}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(base);
	}

	@Test
	void parametersCountWhateverTheirOrderInTheQuery() {
		MockHttpServletRequest first = new MockHttpServletRequest("POST", "/p");
		first.addParameter("a", "1");
		first.addParameter("b", "2");
		MockHttpServletRequest reordered = new MockHttpServletRequest("POST", "/p");
		reordered.addParameter("b", "2");
		reordered.addParameter("a", "1");
		MockHttpServletRequest other = new MockHttpServletRequest("POST", "/p");
		other.addParameter("a", "1");
		other.addParameter("b", "3");
		byte[] empty = new byte[0];
		assertThat(fingerprint(first, empty)).isEqualTo(fingerprint(reordered, empty))
			.isNotEqualTo(fingerprint(other, empty));
	}

	@Test
	void nonJsonAndMalformedJsonBodiesCountByteForByte() {
		assertThat(fingerprint("POST", "/p", "text/plain", "a  b"))
			.isNotEqualTo(fingerprint("POST", "/p", "text/plain", "a b"));
		assertThat(fingerprint("POST", "/p", "application/json", "{broken"))
			.isEqualTo(fingerprint("POST", "/p", "application/json", "{broken"))
			.isNotEqualTo(fingerprint("POST", "/p", "application/json", "{broken "));
	}

	@Test
	void fingerprintIsHexSha256() {
		assertThat(fingerprint("POST", "/p", null, "")).matches("[0-9a-f]{64}");
	}

	/**
	 * Fixed vectors: the same values on Spring Boot 3 and 4 (both builds run this test),
	 * so the instances of a fleet in the middle of an upgrade agree on every key.
	 */
	@Test
	void fingerprintsAreFixedVectorsSharedByEverySpringBootLine() {
		assertThat(fingerprint("POST", "/payments", "application/json", "{\"amount\":1000,\"currency\":\"EUR\"}"))
			.isEqualTo("76a6c12e8ce04c545e25b81b564117f85ad182aaf8a4ef54dd7b989a63193ff4")
			.isEqualTo(
					fingerprint("POST", "/payments", "application/json", "{\"currency\":\"EUR\",\"amount\":1000.0}"));
		assertThat(fingerprint("POST", "/payments", "application/json; charset=utf-8",
				"{ \"currency\": \"EUR\", \"amount\": 1000.0, \"note\": \"caf\\u00e9 \\ud83d\\ude00\" }"))
			.isEqualTo("ab556f95c244972e2a6dad1c3ab1ced9250b71d30045fe493685ed93b383b1df");
		assertThat(fingerprint("PUT", "/orders/7", "text/plain", "not json"))
			.isEqualTo("3a9ab173b38e911afe4481e1d8882bd01f0b679352e07aeb2802bde0dc7bb08d");
		assertThat(fingerprint("POST", "/payments", "application/json", "{broken"))
			.isEqualTo("b7822632a34f3890c35fa79f001ccc8e0aa406262af7c94cb08bdf0b6b566dae");
		MockHttpServletRequest form = new MockHttpServletRequest("POST", "/p");
		form.addParameter("b", "2", "3");
		form.addParameter("a", "1");
		assertThat(fingerprint(form, new byte[0]))
			.isEqualTo("6be7d20764974ec5daa8deec6bc4b5123bbc76fc621747545f143b87b494371f");
	}

	/**
	 * Fixed vectors for bodies whose length needs more than one byte of the length prefix
	 * (over 255 bytes and over 64 KiB), computed outside this code base (Python's hashlib
	 * over the documented layout: each field as a 4-byte big-endian length and its
	 * bytes).
	 */
	@Test
	void largeBodiesAreFixedVectorsToo() {
		assertThat(fingerprint("POST", "/payments", "application/json", "{\"note\":\"" + "x".repeat(300) + "\"}"))
			.isEqualTo("a5a2e961250ad3404b01871ac40410f62e32c05051d490f5997f09eb72f307fd");
		assertThat(fingerprint("POST", "/payments", "application/json", "{\"note\":\"" + "y".repeat(70 * 1024) + "\"}"))
			.isEqualTo("10ba2a8a42d876e35550ea284ff6d2c216e20a63813f5be6ad48c833766543fb");
		assertThat(fingerprint("POST", "/payments", "application/octet-stream", "z".repeat(300)))
			.isEqualTo("d4263c81292f6190b81c836244dc46994fa65ca084e2d270a27fbce00c58a90a");
	}

	@Test
	void jsonSentAsAnotherContentTypeCountsByteForByte() {
		assertThat(fingerprint("POST", "/payments", "text/plain", "{ \"a\": 1 }"))
			.isEqualTo("10c52430832769ad55ff90fea5289f5b50646a49776740968d8a6366ba5cdd4a")
			.isNotEqualTo(fingerprint("POST", "/payments", "text/plain", "{\"a\":1}"));
		assertThat(fingerprint("POST", "/payments", null, "{ \"a\": 1 }"))
			.isEqualTo("10c52430832769ad55ff90fea5289f5b50646a49776740968d8a6366ba5cdd4a");
		assertThat(fingerprint("POST", "/payments", "application/problem+JSON", "{ \"a\": 1 }"))
			.isEqualTo(fingerprint("POST", "/payments", "application/json", "{\"a\":1}"));
	}

	@Test
	void anEmptyJsonBodyCountsAsAnEmptyRawBody() {
		assertThat(fingerprint("POST", "/p", "application/json", ""))
			.isEqualTo(fingerprint("POST", "/p", "text/plain", ""));
	}

}
