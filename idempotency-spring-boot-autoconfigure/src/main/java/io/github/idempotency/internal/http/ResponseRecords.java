package io.github.idempotency.internal.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.github.idempotency.StoredResponse;
import org.jspecify.annotations.Nullable;

/**
 * What a stored response keeps of a response, and how its headers are replayed — the same
 * through every door, so a replay is the same whichever stack sends it: the status, the
 * headers the handler added (not those set before it, nor {@code Date}, length and
 * hop-by-hop headers), the content type and the exact body bytes.
 */
public final class ResponseRecords {

	/** Header that marks a replayed response. */
	public static final String REPLAYED_HEADER = "Idempotent-Replayed";

	private static final Set<String> NOT_STORED = Set.of("date", "content-length", "content-type", "connection",
			"keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
			"transfer-encoding", "upgrade", REPLAYED_HEADER.toLowerCase(Locale.ROOT));

	private ResponseRecords() {
	}

	/**
	 * Turns a final response into what is stored.
	 * @param status the status code
	 * @param contentType the content type, or {@code null}
	 * @param headers hands each of the response's headers, in the order they were set,
	 * with its values to the consumer it is given
	 * @param before the headers the response had before the handler ran, by
	 * case-insensitive name
	 * @param body the body bytes
	 * @return the stored response
	 */
	public static StoredResponse toStoredResponse(int status, @Nullable String contentType,
			Consumer<BiConsumer<String, Collection<String>>> headers, Map<String, List<String>> before, byte[] body) {
		List<Map.Entry<String, String>> stored = new ArrayList<>();
		if (contentType != null) {
			stored.add(Map.entry("Content-Type", contentType));
		}
		Set<String> done = new HashSet<>();
		headers.accept((name, values) -> {
			String lowerCaseName = name.toLowerCase(Locale.ROOT);
			if (!NOT_STORED.contains(lowerCaseName) && done.add(lowerCaseName) && changed(before.get(name), values)) {
				values.forEach((value) -> stored.add(Map.entry(name, value)));
			}
		});
		return new StoredResponse(status, stored, body);
	}

	private static boolean changed(@Nullable List<String> before, Collection<String> now) {
		return before == null || !before.equals(List.copyOf(now));
	}

	/**
	 * Replays the headers of a stored response: the first value of each name replaces
	 * what the response has, later ones are added, and {@code Idempotent-Replayed: true}
	 * marks it.
	 * @param stored the stored response
	 * @param set sets a header, replacing its values
	 * @param add adds a value to a header
	 * @return the stored content type, for the caller to set, or {@code null}
	 */
	public static @Nullable String replayHeaders(StoredResponse stored, BiConsumer<String, String> set,
			BiConsumer<String, String> add) {
		Set<String> seen = new HashSet<>();
		String contentType = null;
		for (Map.Entry<String, String> header : stored.headers()) {
			String name = header.getKey();
			if (name.equalsIgnoreCase("Content-Type")) {
				contentType = header.getValue();
			}
			else if (seen.add(name.toLowerCase(Locale.ROOT))) {
				set.accept(name, header.getValue());
			}
			else {
				add.accept(name, header.getValue());
			}
		}
		set.accept(REPLAYED_HEADER, "true");
		return contentType;
	}

}
