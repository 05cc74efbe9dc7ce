package io.github.idempotency.internal.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.idempotency.StoredResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseRecordsTests {

	private static final byte[] BODY = { 1, 2, 3 };

	private static StoredResponse stored(Map<String, List<String>> now, Map<String, List<String>> before) {
		Map<String, List<String>> caseInsensitiveBefore = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		caseInsensitiveBefore.putAll(before);
		return ResponseRecords.toStoredResponse(201, "application/json",
				(each) -> now.forEach((name, values) -> each.accept(name, values)), caseInsensitiveBefore, BODY);
	}

	private static Map<String, List<String>> headers(Object... namesAndValues) {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			Object values = namesAndValues[i + 1];
			headers.put((String) namesAndValues[i], (values instanceof List<?> list)
					? list.stream().map(String::valueOf).toList() : List.of((String) values));
		}
		return headers;
	}

	@Test
	void keepsStatusBodyContentTypeFirstAndEveryValueInOrder() {
		StoredResponse response = stored(headers("Location", "/payments/1", "Link", List.of("<a>", "<b>")), Map.of());
		assertThat(response.status()).isEqualTo(201);
		assertThat(response.body()).containsExactly(BODY);
		assertThat(response.headers()).containsExactly(Map.entry("Content-Type", "application/json"),
				Map.entry("Location", "/payments/1"), Map.entry("Link", "<a>"), Map.entry("Link", "<b>"));
	}

	@Test
	void noContentTypeStoresNone() {
		StoredResponse response = ResponseRecords.toStoredResponse(204, null,
				(each) -> each.accept("ETag", List.of("\"1\"")), Map.of(), new byte[0]);
		assertThat(response.headers()).containsExactly(Map.entry("ETag", "\"1\""));
	}

	@Test
	void leavesOutLengthDateHopByHopAndReplayHeadersWhateverTheirCase() {
		StoredResponse response = stored(headers("date", "Mon", "Content-Length", "3", "CONTENT-TYPE", "text/plain",
				"Connection", "close", "Keep-Alive", "5", "Proxy-Connection", "x", "Proxy-Authenticate", "x",
				"Proxy-Authorization", "x", "TE", "x", "Trailer", "x", "Transfer-Encoding", "chunked", "Upgrade", "h2",
				"idempotent-replayed", "true", "X-Kept", "yes"), Map.of());
		assertThat(response.headers()).containsExactly(Map.entry("Content-Type", "application/json"),
				Map.entry("X-Kept", "yes"));
	}

	@Test
	void leavesOutHeadersTheResponseHadBeforeTheHandlerUnlessTheHandlerChangedThem() {
		StoredResponse response = stored(
				headers("X-Frame-Options", "DENY", "Cache-Control", "no-store", "Vary", List.of("Origin", "Accept")),
				headers("x-frame-options", "DENY", "Cache-Control", "no-cache", "Vary", "Origin"));
		assertThat(response.headers()).containsExactly(Map.entry("Content-Type", "application/json"),
				Map.entry("Cache-Control", "no-store"), Map.entry("Vary", "Origin"), Map.entry("Vary", "Accept"));
	}

	@Test
	void aNameThatComesTwiceInDifferentCaseIsStoredOnce() {
		List<Map.Entry<String, Collection<String>>> raw = new ArrayList<>();
		raw.add(Map.entry("X-Trace", List.of("1")));
		raw.add(Map.entry("x-trace", List.of("1")));
		StoredResponse response = ResponseRecords.toStoredResponse(200, null,
				(each) -> raw.forEach((header) -> each.accept(header.getKey(), header.getValue())), Map.of(), BODY);
		assertThat(response.headers()).containsExactly(Map.entry("X-Trace", "1"));
	}

	@Test
	void replaySetsTheFirstValueOfEachNameAddsTheRestAndMarksTheResponse() {
		StoredResponse response = new StoredResponse(201, List.of(Map.entry("Content-Type", "application/json"),
				Map.entry("Link", "<a>"), Map.entry("Location", "/p/1"), Map.entry("link", "<b>")), BODY);
		List<String> calls = new ArrayList<>();
		String contentType = ResponseRecords.replayHeaders(response, (name, value) -> calls.add("set " + name + value),
				(name, value) -> calls.add("add " + name + value));
		assertThat(contentType).isEqualTo("application/json");
		assertThat(calls).containsExactly("set Link<a>", "set Location/p/1", "add link<b>",
				"set Idempotent-Replayedtrue");
	}

	@Test
	void replayWithoutContentTypeReturnsNone() {
		StoredResponse response = new StoredResponse(204, List.of(), new byte[0]);
		List<String> calls = new ArrayList<>();
		assertThat(ResponseRecords.replayHeaders(response, (name, value) -> calls.add(name),
				(name, value) -> calls.add(name)))
			.isNull();
		assertThat(calls).containsExactly("Idempotent-Replayed");
	}

}
