package io.github.idempotency.internal.fingerprint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canonical JSON of fingerprints is RFC 8785 (JCS), checked against the RFC's own
 * examples and against numbers written by an ECMAScript engine.
 */
class CanonicalJsonTests {

	private static String canonical(String json) {
		byte[] canonical = CanonicalJson.canonicalize(json.getBytes(StandardCharsets.UTF_8));
		return (canonical != null) ? new String(canonical, StandardCharsets.UTF_8) : null;
	}

	@Test
	void rfc8785MainExample() {
		String input = """
				{
				  "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
				  "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
				  "literals": [null, true, false]
				}
				""";
		assertThat(canonical(input))
			.isEqualTo("{\"literals\":[null,true,false]," + "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
					+ "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
	}

	@Test
	void rfc8785SortsMembersByUtf16CodeUnits() {
		String input = """
				{
				  "\\u20ac": "Euro Sign",
				  "\\r": "Carriage Return",
				  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
				  "1": "One",
				  "\\ud83d\\ude00": "Emoji: Grinning Face",
				  "\\u0080": "Control",
				  "\\u00f6": "Latin Small Letter O With Diaeresis"
				}
				""";
		assertThat(canonical(input)).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
				+ "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
				+ "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
	}

	@ParameterizedTest
	@CsvSource(delimiter = ' ',
			value = { "0000000000000000 0", "8000000000000000 0", "0000000000000001 5e-324", "8000000000000001 -5e-324",
					"7fefffffffffffff 1.7976931348623157e+308", "ffefffffffffffff -1.7976931348623157e+308",
					"4340000000000000 9007199254740992", "c340000000000000 -9007199254740992",
					"4430000000000000 295147905179352830000", "44b52d02c7e14af5 9.999999999999997e+22",
					"44b52d02c7e14af6 1e+23", "44b52d02c7e14af7 1.0000000000000001e+23",
					"444b1ae4d6e2ef4e 999999999999999700000", "444b1ae4d6e2ef4f 999999999999999900000",
					"444b1ae4d6e2ef50 1e+21", "3eb0c6f7a0b5ed8c 9.999999999999997e-7", "3eb0c6f7a0b5ed8d 0.000001",
					"41b3de4355555553 333333333.3333332", "41b3de4355555554 333333333.33333325",
					"41b3de4355555555 333333333.3333333", "41b3de4355555556 333333333.3333334",
					"41b3de4355555557 333333333.33333343", "becbf647612f3696 -0.0000033333333333333333",
					"43143ff3c1cb0959 1424953923781206.2" })
	void rfc8785AppendixBNumbers(String bits, String expected) {
		assertThat(CanonicalJson.number(Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16)))).isEqualTo(expected);
	}

	@ParameterizedTest
	@CsvSource(delimiter = ' ',
			value = { "1 1", "1000 1000", "-1000 -1000", "1000.0 1000", "1e3 1000", "123456789012345 123456789012345",
					"9007199254740991 9007199254740991", "-9007199254740991 -9007199254740991",
					"9007199254740993 9007199254740992", "9007199254740994 9007199254740994",
					"9007199254740995 9007199254740996", "123456789012345678 123456789012345680", "0.5 0.5",
					"1000.5 1000.5" })
	void integersAreWrittenAsTheirDigitsOnBothSidesOfTwoToThe53(String literal, String expected) {
		assertThat(CanonicalJson.number(Double.parseDouble(literal))).isEqualTo(expected);
	}

	@Test
	void numbersAreWrittenAsAnEcmaScriptEngineWritesThem() throws IOException {
		List<String> wrong = new ArrayList<>();
		int checked = 0;
		try (InputStream in = getClass().getResourceAsStream("/ecmascript-numbers.txt")) {
			for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
				if (line.startsWith("#") || line.isBlank()) {
					continue;
				}
				String[] parts = line.split(" ");
				double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
				String written = CanonicalJson.number(value);
				if (!written.equals(parts[1])) {
					wrong.add(parts[0] + ": expected " + parts[1] + " but was " + written);
				}
				assertThat(canonical("[" + parts[1] + "]")).isEqualTo("[" + parts[1] + "]");
				checked++;
			}
		}
		assertThat(checked).isGreaterThan(2500);
		assertThat(wrong).isEmpty();
	}

	@Test
	void equalValuesInOtherSpellingsHaveOneCanonicalForm() {
		assertThat(canonical("{ \"b\" : [ 1.0, 2.50, -0, 1E2 ], \"a\" : \"\\u0041\\/\" }"))
			.isEqualTo(canonical("{\"a\":\"A/\",\"b\":[1,2.5,0,100]}"))
			.isEqualTo("{\"a\":\"A/\",\"b\":[1,2.5,0,100]}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "{", "{\"a\":1,}", "[1,]", "[01]", "[1.]", "[.5]", "[+1]", "[-]", "[1e]",
			"{\"a\":1,\"a\":2}", "[\"\\ud800\"]", "[\"\\udc00x\"]", "[1e400]", "[-1e400]", "{\"a\" 1}", "[tru]",
			"[nul]", "[\"a\" \"b\"]", "{}x", "[\"\\x\"]", "[\"\\u12G4\"]", "[\"unterminated]", "NaN", "'a'",
			"[\"tab\there\"]" })
	void inputThatIsNotOneIJsonValueHasNoCanonicalForm(String input) {
		assertThat(canonical(input)).isNull();
	}

	@Test
	void topLevelScalarsAndSurroundingWhitespaceAreCanonical() {
		assertThat(canonical("42")).isEqualTo("42");
		assertThat(canonical(" 1.50 ")).isEqualTo("1.5");
		assertThat(canonical("\"s\"")).isEqualTo("\"s\"");
		assertThat(canonical("true")).isEqualTo("true");
		assertThat(canonical("null")).isEqualTo("null");
		assertThat(canonical(" \t\r\n{ } \n")).isEqualTo("{}");
		assertThat(canonical("[ ]")).isEqualTo("[]");
		assertThat(canonical("[nope]")).isNull();
		assertThat(canonical("nope")).isNull();
	}

	@Test
	void malformedUtf8HasNoCanonicalForm() {
		assertThat(CanonicalJson.canonicalize(new byte[] { '[', '"', (byte) 0xC3, '"', ']' })).isNull();
	}

	@Test
	void nestingUpToTheLimitIsCanonicalAndDeeperIsNot() {
		String limit = "[".repeat(CanonicalJson.MAX_DEPTH) + "]".repeat(CanonicalJson.MAX_DEPTH);
		assertThat(canonical(limit)).isEqualTo(limit);
		assertThat(canonical("[" + limit + "]")).isNull();
		assertThat(canonical(
				"{\"a\":".repeat(CanonicalJson.MAX_DEPTH + 1) + "1" + "}".repeat(CanonicalJson.MAX_DEPTH + 1)))
			.isNull();
	}

	@Test
	void quoteEscapesOnlyWhatJsonRequires() {
		assertThat(CanonicalJson.quote(new StringBuilder(), "a\"b\\c\b\f\n\r\t\u0001\u001f\u007f\u2028é/").toString())
			.isEqualTo("\"a\\\"b\\\\c\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\u2028é/\"");
		assertThat(CanonicalJson.quote(new StringBuilder(), "lone \ud800 surrogate").toString())
			.isEqualTo("\"lone \\ud800 surrogate\"");
	}

}
