package io.github.idempotency.internal.http;

import java.util.Enumeration;

import org.jspecify.annotations.Nullable;

/**
 * Reads the idempotency key from its header: a Structured Field string ({@code "abc"},
 * RFC 9651) or, leniently, a bare token. After unquoting the key has 1 to 255 printable
 * ASCII characters. Used by every door that takes the key from a request header.
 */
public final class IdempotencyKeyParser {

	/** The longest key accepted, in characters after unquoting. */
	public static final int MAX_LENGTH = 255;

	private IdempotencyKeyParser() {
	}

	/**
	 * Parses the values the key header was sent with.
	 * @param headerValues every value of the header, in order; {@code null} or none when
	 * it was not sent
	 * @return the key, no key, or why the key is invalid
	 */
	public static ParsedKey parse(Enumeration<String> headerValues) {
		if (headerValues == null || !headerValues.hasMoreElements()) {
			return ParsedKey.MISSING;
		}
		String raw = headerValues.nextElement();
		if (headerValues.hasMoreElements()) {
			return ParsedKey.invalid("the header was sent more than once");
		}
		String value = raw.strip();
		if (value.isEmpty()) {
			return ParsedKey.invalid("the key is empty");
		}
		return (value.charAt(0) == '"') ? parseQuoted(value) : parseBare(value);
	}

	private static ParsedKey parseBare(String value) {
		if (value.length() > MAX_LENGTH) {
			return tooLong();
		}
		for (int i = 0; i < value.length(); i++) {
			if (!isPrintableAscii(value.charAt(i))) {
				return notPrintable();
			}
		}
		return ParsedKey.valid(value);
	}

	private static ParsedKey parseQuoted(String value) {
		StringBuilder key = new StringBuilder(Math.min(value.length(), MAX_LENGTH + 1));
		int i = 1;
		while (i < value.length()) {
			char c = value.charAt(i++);
			if (c == '"') {
				if (i != value.length()) {
					return ParsedKey.invalid("characters follow the closing quote");
				}
				if (key.isEmpty()) {
					return ParsedKey.invalid("the key is empty");
				}
				return ParsedKey.valid(key.toString());
			}
			if (c == '\\') {
				if (i == value.length() || (value.charAt(i) != '"' && value.charAt(i) != '\\')) {
					return ParsedKey.invalid("a backslash may only escape '\"' or '\\'");
				}
				c = value.charAt(i++);
			}
			else if (!isPrintableAscii(c)) {
				return notPrintable();
			}
			if (key.length() == MAX_LENGTH) {
				return tooLong();
			}
			key.append(c);
		}
		return ParsedKey.invalid("the quoted string is not closed");
	}

	private static boolean isPrintableAscii(char c) {
		return c >= 0x20 && c <= 0x7E;
	}

	private static ParsedKey tooLong() {
		return ParsedKey.invalid("the key is longer than " + MAX_LENGTH + " characters");
	}

	private static ParsedKey notPrintable() {
		return ParsedKey.invalid("the key may contain only printable ASCII characters");
	}

	/** The result of parsing: a key, no key, or why the key is invalid. */
	public sealed interface ParsedKey permits ParsedKey.Missing, ParsedKey.Valid, ParsedKey.Invalid {

		/** No key was sent. */
		ParsedKey MISSING = new Missing();

		static ParsedKey valid(String value) {
			return new Valid(value);
		}

		static ParsedKey invalid(String error) {
			return new Invalid(error);
		}

		/**
		 * @return whether no key was sent
		 */
		default boolean isMissing() {
			return this instanceof Missing;
		}

		/**
		 * @return whether a well-formed key was sent
		 */
		default boolean isValid() {
			return this instanceof Valid;
		}

		/**
		 * @return the key after unquoting, or {@code null} when none is valid
		 */
		default @Nullable String value() {
			return null;
		}

		/**
		 * @return why the key is invalid, or {@code null} when it is not
		 */
		default @Nullable String error() {
			return null;
		}

		/** No key was sent. */
		record Missing() implements ParsedKey {
		}

		/**
		 * A well-formed key.
		 *
		 * @param value the key after unquoting
		 */
		record Valid(String value) implements ParsedKey {
		}

		/**
		 * A malformed key.
		 *
		 * @param error why it is invalid
		 */
		record Invalid(String error) implements ParsedKey {
		}

	}

}
