package io.github.idempotency.internal.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.StoredResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RecordCodecTests {

	private static final String FINGERPRINT = "3f2a9c0d5e6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3";

	private static final String OWNER = "9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e";

	private static final String KEY = "idempotency:n4bQgYhMfWWaL-qgxVrQFa";

	private final RecordCodec codec = new RecordCodec(1024);

	@Test
	void emptyAndOddLengthTokensAreKeptAsTextAndReadBack() {
		for (String fingerprint : new String[] { "", "a", "abc", "0g", "AB" }) {
			assertThat(this.codec.decode(this.codec.inFlight(fingerprint, "owner"), KEY)).isInstanceOfSatisfying(
					ClaimResult.InFlight.class,
					(inFlight) -> assertThat(inFlight.fingerprint()).isEqualTo(fingerprint));
		}
	}

	@Test
	void lowerCaseHexTokensTakeHalfTheirLengthZeroDigitsIncluded() {
		// version, flags, length (4) + kind and 2 bytes + kind and 1 byte
		assertThat(this.codec.inFlight("0000", "00")).hasSize(4 + 3 + 2);
		assertThat(this.codec.decode(this.codec.inFlight("0000", "00"), KEY))
			.isEqualTo(new ClaimResult.InFlight("0000"));
	}

	@Test
	void hexFingerprintAndOwnerAreStoredAsTheBytesTheySpell() {
		byte[] record = this.codec.inFlight(FINGERPRINT, OWNER);
		assertThat(record).hasSize(4 + 1 + 32 + 1 + 16);
		assertThat(this.codec.decode(record, KEY)).isEqualTo(new ClaimResult.InFlight(FINGERPRINT));
		assertThat(this.codec.isInFlightFor(record, this.codec.ownerToken(OWNER))).isTrue();
	}

	@Test
	void anyOtherTextRoundTripsAsUtf8() {
		for (String text : List.of("fp-1", "ABCD", "abc", "é€", "")) {
			byte[] record = this.codec.inFlight(text, text);
			assertThat(this.codec.decode(record, KEY)).isEqualTo(new ClaimResult.InFlight(text));
			assertThat(this.codec.isInFlightFor(record, this.codec.ownerToken(text))).isTrue();
		}
	}

	@Test
	void ownerTokensOfDifferentKindsNeverMatch() {
		byte[] record = this.codec.inFlight(FINGERPRINT, "7a7a");
		assertThat(this.codec.isInFlightFor(record, this.codec.ownerToken("zz"))).isFalse();
		assertThat(this.codec.isInFlightFor(record, this.codec.ownerToken("7a7a0"))).isFalse();
		assertThat(this.codec.isInFlightFor(record, this.codec.ownerToken("7a"))).isFalse();
	}

	@Test
	void commonHeaderNamesAndValuesTakeOneByteAndOthersRoundTripAsText() {
		StoredResponse response = new StoredResponse(201,
				List.of(Map.entry("Content-Type", "application/json"), Map.entry("Location", "/payments/pay_1"),
						Map.entry("content-type", "Application/JSON"), Map.entry("X-Émoji", "☃")),
				new byte[0]);
		byte[] record = this.codec.finish(this.codec.inFlight(FINGERPRINT, OWNER), this.codec.finished(response, KEY));
		assertThat(record).hasSize(4 + 33 + 2 + 1 + (1 + 1) + (1 + 1 + 15) + (1 + 12 + 1 + 16) + (1 + 8 + 1 + 3));
		assertThat(completed(record).response()).usingRecursiveComparison().isEqualTo(response);
	}

	@Test
	void finishedRecordIsNoLongerOwned() {
		byte[] record = finish(new byte[] { 1 });
		assertThat(this.codec.isInFlightFor(record, this.codec.ownerToken(OWNER))).isFalse();
	}

	@Test
	void bodiesUpToTheThresholdAreStoredAsTheyAre() {
		byte[] body = new byte[1024];
		byte[] record = finish(body);
		assertThat(record[1]).isEqualTo((byte) RecordCodec.FINISHED);
		assertThat(record).endsWith(body);
	}

	@Test
	void bodiesOverTheThresholdAreDeflatedWhenThatMakesThemSmaller() {
		byte[] body = new byte[1025];
		byte[] record = finish(body);
		assertThat(record[1]).isEqualTo((byte) (RecordCodec.FINISHED | RecordCodec.DEFLATED));
		assertThat(record.length).isLessThan(100);
		assertThat(completed(record).response().body()).isEqualTo(body);
	}

	@Test
	void everyTruncationOfARecordIsUnreadable() {
		byte[] body = "{\"id\":\"pay_1\",\"amount\":1000,\"currency\":\"EUR\",\"status\":\"CREATED\"}".repeat(40)
			.getBytes(StandardCharsets.UTF_8);
		byte[] record = finish(body);
		assertThat(record[1] & RecordCodec.DEFLATED).isNotZero();
		for (int length = 0; length < record.length; length++) {
			byte[] truncated = Arrays.copyOf(record, length);
			assertThatExceptionOfType(IdempotencyRecordException.class).as("first %d bytes", length)
				.isThrownBy(() -> this.codec.decode(truncated, KEY));
		}
	}

	@Test
	void trailingBytesAfterADeflatedBodyAreUnreadable() {
		byte[] record = finish(new byte[4096]);
		byte[] longer = Arrays.copyOf(record, record.length + 1);
		assertThatExceptionOfType(IdempotencyRecordException.class).isThrownBy(() -> this.codec.decode(longer, KEY));
	}

	@Test
	void unknownVersionOrFlagsAreUnreadable() {
		byte[] record = finish(new byte[] { 1 });
		byte[] otherVersion = record.clone();
		otherVersion[0] = 2;
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> this.codec.decode(otherVersion, KEY))
			.withMessageContaining("unknown format version 2");
		byte[] otherFlags = record.clone();
		otherFlags[1] = 0x08;
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> this.codec.decode(otherFlags, KEY));
	}

	/**
	 * Malformed records of every part of the layout are
	 * {@link IdempotencyRecordException} (answered {@code 409 record-unreadable}), never
	 * another exception that would become a 503 or, under fail-open, a run without
	 * idempotency.
	 */
	@ParameterizedTest(name = "{0}")
	@CsvSource({ "empty fingerprint token, 01 00 00 00 01 6f",
			"unknown fingerprint token kind, 01 00 00 02 02 41 01 6f", "hex token without bytes, 01 00 00 01 00 01 6f",
			"unknown owner token kind, 01 00 00 02 01 41 07", "empty owner token, 01 00 00 02 01 41",
			"unknown common header text, 01 01 00 02 01 41 00 c8 01 ff 01 01",
			"header count of six bytes, 01 01 00 02 01 41 00 c8 ff ff ff ff ff 01",
			"negative header count, 01 01 00 02 01 41 00 c8 ff ff ff ff 0f",
			"status below 100, 01 01 00 02 01 41 00 63 00", "status above 999, 01 01 00 02 01 41 03 e8 00",
			"header text longer than the record, 01 01 00 02 01 41 00 c8 01 7e",
			"deflated body that does not inflate, 01 03 00 02 01 41 00 c8 00 05 ff ff ff" })
	void malformedRecordsAreUnreadableNeverAnotherException(String description, String hex) {
		byte[] record = java.util.HexFormat.ofDelimiter(" ").parseHex(hex);
		assertThatExceptionOfType(IdempotencyRecordException.class).as(description)
			.isThrownBy(() -> this.codec.decode(record, KEY));
	}

	@Test
	void onlyAnInFlightRecordOfThisVersionWithThisOwnerIsOwned() {
		byte[] owner = this.codec.ownerToken(OWNER);
		byte[] inFlight = this.codec.inFlight(FINGERPRINT, OWNER);
		assertThat(this.codec.isInFlightFor(inFlight, owner)).isTrue();
		assertThat(this.codec.isInFlightFor(inFlight, this.codec.ownerToken(OWNER.substring(2)))).isFalse();
		assertThat(this.codec.isInFlightFor(Arrays.copyOf(inFlight, 3), owner)).isFalse();
		byte[] otherVersion = inFlight.clone();
		otherVersion[0] = 2;
		assertThat(this.codec.isInFlightFor(otherVersion, owner)).isFalse();
		byte[] finished = finish(new byte[] { 1 });
		assertThat(this.codec.isInFlightFor(finished, owner)).isFalse();
		assertThat(RecordCodec.fingerprintEnd(inFlight)).isEqualTo(inFlight.length - owner.length);
	}

	@Test
	void deflatedBodyClaimingAnImpossibleLengthIsUnreadableWithoutAllocatingIt() {
		byte[] inFlight = this.codec.inFlight(FINGERPRINT, OWNER);
		byte[] record = Arrays.copyOf(inFlight, 4 + 33 + 10);
		record[1] = RecordCodec.FINISHED | RecordCodec.DEFLATED;
		byte[] tail = { 0, (byte) 200, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07, 0x03, 0x00 };
		System.arraycopy(tail, 0, record, 4 + 33, tail.length);
		assertThatExceptionOfType(IdempotencyRecordException.class).isThrownBy(() -> this.codec.decode(record, KEY))
			.withMessageContaining("claims 2147483647 bytes");
	}

	private byte[] finish(byte[] body) {
		StoredResponse response = new StoredResponse(200, List.of(Map.entry("Content-Type", "application/json")), body);
		return this.codec.finish(this.codec.inFlight(FINGERPRINT, OWNER), this.codec.finished(response, KEY));
	}

	private ClaimResult.Completed completed(byte[] record) {
		return (ClaimResult.Completed) this.codec.decode(record, KEY);
	}

}
