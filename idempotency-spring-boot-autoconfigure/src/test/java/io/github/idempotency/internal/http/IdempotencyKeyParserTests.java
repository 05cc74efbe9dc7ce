package io.github.idempotency.internal.http;

import java.util.Collections;
import java.util.List;

import io.github.idempotency.internal.http.IdempotencyKeyParser.ParsedKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyKeyParserTests {

	private static ParsedKey parse(String... values) {
		return IdempotencyKeyParser.parse(Collections.enumeration(List.of(values)));
	}

	@Test
	void noHeaderIsMissing() {
		assertThat(IdempotencyKeyParser.parse(Collections.emptyEnumeration()).isMissing()).isTrue();
		assertThat(IdempotencyKeyParser.parse(null).isMissing()).isTrue();
	}

	@Test
	void structuredFieldStringIsUnquoted() {
		assertThat(parse("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"").value())
			.isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
	}

	@Test
	void escapesInAStructuredFieldStringAreResolved() {
		assertThat(parse("\"a\\\"b\\\\c\"").value()).isEqualTo("a\"b\\c");
	}

	@Test
	void bareValueIsAcceptedLeniently() {
		assertThat(parse("order-42").value()).isEqualTo("order-42");
		assertThat(parse("  order-42\t").value()).isEqualTo("order-42");
	}

	@Test
	void keyOf255CharactersIsValidAnd256IsNot() {
		assertThat(parse("k".repeat(255)).value()).hasSize(255);
		assertThat(parse("\"" + "k".repeat(255) + "\"").value()).hasSize(255);
		assertThat(parse("k".repeat(256)).error()).contains("longer than 255");
		assertThat(parse("\"" + "k".repeat(256) + "\"").error()).contains("longer than 255");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "\"\"", "\"unterminated", "\"a\"b", "\"bad\\escape\"", "caf\u00e9",
			"tab\tinside", "new\nline", "nul\u0000", "\"caf\u00e9\"", "\u2603" })
	void malformedKeysAreInvalid(String value) {
		ParsedKey key = parse(value);
		assertThat(key.isValid()).isFalse();
		assertThat(key.isMissing()).isFalse();
		assertThat(key.error()).isNotBlank();
	}

	@Test
	void headerSentTwiceIsInvalid() {
		assertThat(parse("a", "b").error()).contains("more than once");
	}

	@Test
	void bracesAndSpacesArePlainCharactersOfAKey() {
		assertThat(parse("\"{slot} with spaces\"").value()).isEqualTo("{slot} with spaces");
	}

}
