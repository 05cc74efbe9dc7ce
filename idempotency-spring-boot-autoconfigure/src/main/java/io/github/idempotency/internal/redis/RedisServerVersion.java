package io.github.idempotency.internal.redis;

import java.util.Collection;

/**
 * The version a Redis node reports in {@code INFO server} ({@code redis_version}, which
 * Valkey and other compatible servers report too), and what the store makes of it.
 */
final class RedisServerVersion {

	/** The version of a node whose {@code INFO} names none. */
	static final String UNKNOWN = "unknown";

	private static final String FIELD = "redis_version:";

	private RedisServerVersion() {
	}

	/**
	 * Reads the version from the text of {@code INFO server}.
	 * @param info the reply
	 * @return the version, or {@link #UNKNOWN}
	 */
	static String fromInfo(String info) {
		if (info == null) {
			return UNKNOWN;
		}
		int start = info.indexOf(FIELD);
		if (start < 0) {
			return UNKNOWN;
		}
		start += FIELD.length();
		int end = start;
		while (end < info.length() && !Character.isWhitespace(info.charAt(end))) {
			end++;
		}
		return (end > start) ? info.substring(start, end) : UNKNOWN;
	}

	/**
	 * Whether every node takes {@code SET … NX GET}: Redis 7.0 or newer.
	 * @param versions the version of each node in use
	 * @return {@code true} when there is at least one node and every one is 7.0 or newer
	 */
	static boolean allTakeSetNxGet(Collection<String> versions) {
		return !versions.isEmpty() && versions.stream().allMatch((version) -> major(version) >= 7);
	}

	private static int major(String version) {
		int end = 0;
		while (end < version.length() && Character.isDigit(version.charAt(end))) {
			end++;
		}
		if (end == 0 || end > 4) {
			return -1;
		}
		return Integer.parseInt(version, 0, end, 10);
	}

}
