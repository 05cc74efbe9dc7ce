package io.github.idempotency.internal.fingerprint;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * The JSON Canonicalization Scheme (RFC 8785) for request fingerprints, with no JSON
 * library: object members sorted by their UTF-16 code units, no insignificant whitespace,
 * numbers written as ECMAScript writes a double, strings with the minimal escapes. The
 * same text comes out on every JVM and every Spring Boot line, whichever JSON library the
 * application uses.
 *
 * <p>
 * Input that is not one I-JSON value (RFC 7493) — malformed UTF-8 or syntax, a duplicate
 * member name, a lone surrogate, a number beyond the range of a double, or nesting deeper
 * than {@value #MAX_DEPTH} — has no canonical form.
 */
public final class CanonicalJson {

	/** Deepest nesting of arrays and objects that is canonicalised. */
	static final int MAX_DEPTH = 200;

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private final String text;

	private int position;

	private CanonicalJson(String text) {
		this.text = text;
	}

	/**
	 * Returns the canonical form of a UTF-8 JSON text.
	 * @param utf8 the JSON text
	 * @return the canonical UTF-8 bytes, or {@code null} when the input is not one I-JSON
	 * value
	 */
	public static byte @Nullable [] canonicalize(byte[] utf8) {
		String text;
		try {
			text = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(utf8))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
		CanonicalJson parser = new CanonicalJson(text);
		StringBuilder out = new StringBuilder(text.length());
		try {
			parser.skipWhitespace();
			parser.value(out, 0);
			parser.skipWhitespace();
			if (parser.position != text.length()) {
				return null;
			}
		}
		catch (NotCanonicalizable | IndexOutOfBoundsException ex) {
			return null;
		}
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Appends {@code value} as a JSON string with the escapes of RFC 8785; a lone
	 * surrogate is written as a six-character escape so the output stays valid UTF-8.
	 * @param out where to append
	 * @param value the string
	 * @return {@code out}
	 */
	public static StringBuilder quote(StringBuilder out, String value) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\b' -> out.append("\\b");
				case '\f' -> out.append("\\f");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20 || isLoneSurrogate(value, i)) {
						out.append("\\u")
							.append(HEX[c >> 12])
							.append(HEX[(c >> 8) & 0xF])
							.append(HEX[(c >> 4) & 0xF])
							.append(HEX[c & 0xF]);
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"');
	}

	/**
	 * Below this every integer is a double exactly and ECMAScript writes it as its
	 * digits, so it needs no search for the shortest form.
	 */
	private static final double EXACT_INTEGERS = 0x1p53;

	/**
	 * Writes a double as ECMAScript's {@code Number.prototype.toString} does: the
	 * shortest digits that read back as the same double (the closer of two candidates,
	 * the even one on a tie), in plain notation from 1e-6 up to 1e21 and in exponent
	 * notation outside.
	 * @param value a finite double
	 * @return its canonical text
	 */
	static String number(double value) {
		if (value == 0) {
			return "0";
		}
		if (value < 0) {
			return "-" + number(-value);
		}
		if (value < EXACT_INTEGERS && value == Math.rint(value)) {
			return Long.toString((long) value);
		}
		BigDecimal shortest = shortest(value).stripTrailingZeros();
		String digits = shortest.unscaledValue().toString();
		int k = digits.length();
		int n = k - shortest.scale();
		if (k <= n && n <= 21) {
			return digits + "0".repeat(n - k);
		}
		if (0 < n && n <= 21) {
			return digits.substring(0, n) + "." + digits.substring(n);
		}
		if (-6 < n && n <= 0) {
			return "0." + "0".repeat(-n) + digits;
		}
		int exponent = n - 1;
		String mantissa = (k == 1) ? digits : digits.charAt(0) + "." + digits.substring(1);
		return mantissa + "e" + ((exponent < 0) ? "-" : "+") + Math.abs(exponent);
	}

	private static BigDecimal shortest(double value) {
		BigDecimal exact = new BigDecimal(value);
		for (int precision = 1; precision < 17; precision++) {
			BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
			BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
			boolean downReads = down.doubleValue() == value;
			boolean upReads = up.doubleValue() == value;
			if (downReads && upReads) {
				int closer = exact.subtract(down).compareTo(up.subtract(exact));
				if (closer != 0) {
					return (closer < 0) ? down : up;
				}
				return (down.unscaledValue().testBit(0)) ? up : down;
			}
			if (downReads || upReads) {
				return downReads ? down : up;
			}
		}
		return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
	}

	private void value(StringBuilder out, int depth) {
		char c = this.text.charAt(this.position);
		switch (c) {
			case '{' -> object(out, depth + 1);
			case '[' -> array(out, depth + 1);
			case '"' -> quote(out, string());
			case 't' -> literal(out, "true");
			case 'f' -> literal(out, "false");
			case 'n' -> literal(out, "null");
			default -> out.append(number(numberLiteral()));
		}
	}

	private void object(StringBuilder out, int depth) {
		checkDepth(depth);
		this.position++;
		Map<String, String> members = new TreeMap<>();
		skipWhitespace();
		if (!consume('}')) {
			do {
				skipWhitespace();
				String name = string();
				skipWhitespace();
				expect(':');
				skipWhitespace();
				StringBuilder member = new StringBuilder();
				value(member, depth);
				if (members.put(name, member.toString()) != null) {
					throw new NotCanonicalizable();
				}
				skipWhitespace();
			}
			while (consume(','));
			expect('}');
		}
		out.append('{');
		boolean first = true;
		for (Map.Entry<String, String> member : members.entrySet()) {
			if (!first) {
				out.append(',');
			}
			first = false;
			quote(out, member.getKey()).append(':').append(member.getValue());
		}
		out.append('}');
	}

	private void array(StringBuilder out, int depth) {
		checkDepth(depth);
		this.position++;
		out.append('[');
		skipWhitespace();
		if (!consume(']')) {
			do {
				skipWhitespace();
				value(out, depth);
				skipWhitespace();
				if (peek(',')) {
					out.append(',');
				}
			}
			while (consume(','));
			expect(']');
		}
		out.append(']');
	}

	/** Reads a string whose opening quote is at the current position. */
	private String string() {
		expect('"');
		StringBuilder value = new StringBuilder();
		while (true) {
			char c = this.text.charAt(this.position++);
			if (c == '"') {
				break;
			}
			if (c < 0x20) {
				throw new NotCanonicalizable();
			}
			if (c != '\\') {
				value.append(c);
				continue;
			}
			char escape = this.text.charAt(this.position++);
			switch (escape) {
				case '"', '\\', '/' -> value.append(escape);
				case 'b' -> value.append('\b');
				case 'f' -> value.append('\f');
				case 'n' -> value.append('\n');
				case 'r' -> value.append('\r');
				case 't' -> value.append('\t');
				case 'u' -> value.append((char) Integer.parseInt(hex4(), 16));
				default -> throw new NotCanonicalizable();
			}
		}
		for (int i = 0; i < value.length(); i++) {
			if (isLoneSurrogate(value, i)) {
				throw new NotCanonicalizable();
			}
		}
		return value.toString();
	}

	private String hex4() {
		String hex = this.text.substring(this.position, this.position + 4);
		for (int i = 0; i < 4; i++) {
			if (Character.digit(hex.charAt(i), 16) < 0) {
				throw new NotCanonicalizable();
			}
		}
		this.position += 4;
		return hex;
	}

	private double numberLiteral() {
		int start = this.position;
		consume('-');
		if (!consume('0')) {
			digits();
		}
		if (consume('.')) {
			digits();
		}
		if (consume('e') || consume('E')) {
			if (!consume('+')) {
				consume('-');
			}
			digits();
		}
		double value = Double.parseDouble(this.text.substring(start, this.position));
		if (Double.isInfinite(value)) {
			throw new NotCanonicalizable();
		}
		return value;
	}

	private void digits() {
		int start = this.position;
		while (this.position < this.text.length() && isDigit(this.text.charAt(this.position))) {
			this.position++;
		}
		if (this.position == start) {
			throw new NotCanonicalizable();
		}
	}

	private void literal(StringBuilder out, String literal) {
		if (!this.text.startsWith(literal, this.position)) {
			throw new NotCanonicalizable();
		}
		this.position += literal.length();
		out.append(literal);
	}

	private void skipWhitespace() {
		while (this.position < this.text.length()) {
			char c = this.text.charAt(this.position);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			this.position++;
		}
	}

	private boolean peek(char c) {
		return this.position < this.text.length() && this.text.charAt(this.position) == c;
	}

	private boolean consume(char c) {
		if (peek(c)) {
			this.position++;
			return true;
		}
		return false;
	}

	private void expect(char c) {
		if (!consume(c)) {
			throw new NotCanonicalizable();
		}
	}

	private static void checkDepth(int depth) {
		if (depth > MAX_DEPTH) {
			throw new NotCanonicalizable();
		}
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isLoneSurrogate(CharSequence value, int index) {
		char c = value.charAt(index);
		if (Character.isHighSurrogate(c)) {
			return index + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(index + 1));
		}
		if (Character.isLowSurrogate(c)) {
			return index == 0 || !Character.isHighSurrogate(value.charAt(index - 1));
		}
		return false;
	}

	/**
	 * The input has no canonical form; thrown without a stack trace, caught in this
	 * class.
	 */
	private static final class NotCanonicalizable extends RuntimeException {

		NotCanonicalizable() {
			super(null, null, false, false);
		}

	}

}
