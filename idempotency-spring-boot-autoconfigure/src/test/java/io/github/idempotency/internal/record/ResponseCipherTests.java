package io.github.idempotency.internal.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.ResponseEncryptionKeys;
import io.github.idempotency.StoredResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Responses encrypted at rest (R39): nothing of the response is readable in the record,
 * every record has a nonce of its own, the record names its key so rotation keeps old
 * records readable, and a record that was altered, copied under another key or encrypted
 * with a key that is gone is unreadable, never replayed.
 */
class ResponseCipherTests {

	private static final String KEY = "idempotency:n4bQgYhMfWWaL-qgxVrQFa";

	private static final String FINGERPRINT = "3f2a9c0d5e6b7a8f9e0d1c2b3a4f5e6d";

	private static final byte[] K1 = bytes(1);

	private static final byte[] K2 = bytes(2);

	private static final StoredResponse RESPONSE = new StoredResponse(201,
			List.of(Map.entry("Location", "/payments/pay_secret42"), Map.entry("X-Card-Last4", "4242")),
			"{\"payment\":\"pay_secret42\",\"name\":\"Ada Lovelace\",\"amount\":2500}"
				.getBytes(StandardCharsets.UTF_8));

	@Test
	void nothingOfTheResponseIsReadableAndItReadsBackIdentical() {
		RecordCodec codec = codec("k1", Map.of("k1", K1));
		byte[] record = record(codec, KEY, RESPONSE);

		String raw = new String(record, StandardCharsets.ISO_8859_1);
		assertThat(raw).doesNotContain("pay_secret42", "Ada Lovelace", "4242", "Location", "X-Card-Last4", "2500");
		assertThat(record[1] & RecordCodec.ENCRYPTED).isNotZero();
		ClaimResult.Completed read = (ClaimResult.Completed) codec.decode(record, KEY);
		assertThat(read.fingerprint()).isEqualTo(FINGERPRINT);
		assertThat(read.response().status()).isEqualTo(201);
		assertThat(read.response().headers()).isEqualTo(RESPONSE.headers());
		assertThat(read.response().body()).isEqualTo(RESPONSE.body());
	}

	@Test
	void aLargeBodyIsDeflatedBeforeItIsEncrypted() {
		RecordCodec codec = codec("k1", Map.of("k1", K1));
		byte[] body = "{\"line\":\"the same words again\"}".repeat(200).getBytes(StandardCharsets.UTF_8);
		byte[] record = record(codec, KEY, new StoredResponse(200, List.of(), body));

		assertThat(record.length).isLessThan(body.length / 4);
		assertThat(((ClaimResult.Completed) codec.decode(record, KEY)).response().body()).isEqualTo(body);
	}

	@Test
	void everyRecordHasANonceOfItsOwn() {
		RecordCodec codec = codec("k1", Map.of("k1", K1));
		assertThat(record(codec, KEY, RESPONSE)).isNotEqualTo(record(codec, KEY, RESPONSE));
	}

	@Test
	void aRecordCopiedUnderAnotherKeyOrAlteredIsUnreadable() {
		RecordCodec codec = codec("k1", Map.of("k1", K1));
		byte[] record = record(codec, KEY, RESPONSE);
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> codec.decode(record, "idempotency:another"))
			.withMessageContaining("copied from another key");
		byte[] altered = record.clone();
		altered[altered.length - 20] ^= 1;
		assertThatExceptionOfType(IdempotencyRecordException.class).isThrownBy(() -> codec.decode(altered, KEY));
		byte[] notDeflated = record.clone();
		notDeflated[1] |= RecordCodec.DEFLATED;
		assertThatExceptionOfType(IdempotencyRecordException.class).isThrownBy(() -> codec.decode(notDeflated, KEY));
	}

	@Test
	void rotationKeepsOldRecordsReadableAndEncryptsNewOnesWithTheNewKey() {
		byte[] old = record(codec("k1", Map.of("k1", K1)), KEY, RESPONSE);
		RecordCodec rotated = codec("k2", ordered("k1", K1, "k2", K2));

		assertThat(((ClaimResult.Completed) rotated.decode(old, KEY)).response().body()).isEqualTo(RESPONSE.body());
		byte[] fresh = record(rotated, KEY, RESPONSE);
		assertThat(keyId(fresh)).isEqualTo("k2");
		assertThat(keyId(old)).isEqualTo("k1");
	}

	@Test
	void aRecordWhoseKeyIsGoneIsUnreadableAndNamesTheKey() {
		byte[] old = record(codec("k1", Map.of("k1", K1)), KEY, RESPONSE);
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> codec("k2", Map.of("k2", K2)).decode(old, KEY))
			.withMessageContaining("encrypted with key 'k1', which is not configured")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(HexFormat.of().formatHex(K1)));
		assertThatExceptionOfType(IdempotencyRecordException.class)
			.isThrownBy(() -> new RecordCodec(512).decode(old, KEY))
			.withMessageContaining("no encryption keys are configured");
	}

	@Test
	void recordsStoredInClearBeforeEncryptionWasSwitchedOnStillReadBack() {
		byte[] clear = record(new RecordCodec(512), KEY, RESPONSE);
		ClaimResult.Completed read = (ClaimResult.Completed) codec("k1", Map.of("k1", K1)).decode(clear, KEY);
		assertThat(read.response().body()).isEqualTo(RESPONSE.body());
		assertThat(codec("k1", Map.of("k1", K1)).decode(new RecordCodec(512).inFlight(FINGERPRINT, "ab"), KEY))
			.isEqualTo(new ClaimResult.InFlight(FINGERPRINT));
	}

	@Test
	void keysAreCheckedWhenMadeAndNeverShown() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ResponseEncryptionKeys.of("k1", Map.of("k1", new byte[16])))
			.withMessageContaining("16 bytes");
		assertThatIllegalArgumentException().isThrownBy(() -> ResponseEncryptionKeys.of("k 1", Map.of("k 1", K1)))
			.withMessageContaining("malformed");
		assertThatIllegalArgumentException().isThrownBy(() -> ResponseEncryptionKeys.of("k3", Map.of("k1", K1)))
			.withMessageContaining("'k3' is not among the keys [k1]");
		assertThat(ResponseEncryptionKeys.of("k1", Map.of("k1", K1)).toString()).contains("k1")
			.doesNotContain(HexFormat.of().formatHex(K1))
			.doesNotContain(java.util.Base64.getEncoder().encodeToString(K1));
	}

	private static RecordCodec codec(String current, Map<String, byte[]> keys) {
		return new RecordCodec(512, new ResponseCipher(ResponseEncryptionKeys.of(current, keys)));
	}

	private static byte[] record(RecordCodec codec, String key, StoredResponse response) {
		return codec.finish(codec.inFlight(FINGERPRINT, "9b1c2d3e"), codec.finished(response, key));
	}

	private static String keyId(byte[] record) {
		int start = RecordCodec.fingerprintEnd(record);
		return new String(record, start + 1, record[start], StandardCharsets.US_ASCII);
	}

	private static Map<String, byte[]> ordered(String id1, byte[] key1, String id2, byte[] key2) {
		Map<String, byte[]> keys = new LinkedHashMap<>();
		keys.put(id1, key1);
		keys.put(id2, key2);
		return keys;
	}

	private static byte[] bytes(int seed) {
		byte[] key = new byte[32];
		Arrays.fill(key, (byte) seed);
		key[0] = (byte) 0x5a;
		return key;
	}

}
