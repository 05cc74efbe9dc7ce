package io.github.idempotency.internal.record;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import io.github.idempotency.ResponseEncryptionKeys;

import org.springframework.util.Assert;

/**
 * Encrypts the part of a finished record that holds the response (status, headers, body)
 * with AES-256-GCM, and decrypts it again.
 *
 * <pre>
 * byte 0          length n of the key id
 * n bytes         the key id, ASCII
 * 12 bytes        the nonce, random per record
 * the rest        the ciphertext and its 16-byte tag
 * </pre>
 *
 * The associated data are the record's first two bytes (version and flags) and the
 * storage key, so a record altered, or copied under another key, does not decrypt. Only
 * the JDK's {@code javax.crypto} is used.
 */
public final class ResponseCipher {

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final ResponseEncryptionKeys keys;

	private final SecureRandom random = seededGenerator();

	/**
	 * Creates the cipher.
	 * @param keys the keys, of which the current one encrypts
	 * @throws IllegalArgumentException when the current key is missing or no AES-256 key
	 */
	public ResponseCipher(ResponseEncryptionKeys keys) {
		Assert.notNull(keys, "keys must not be null");
		this.keys = keys;
		String current = keys.currentKeyId();
		Assert.isTrue(
				current != null && !current.isEmpty() && current.length() <= 64
						&& current.chars().allMatch((c) -> c > 32 && c < 127),
				"The current encryption key id must be 1 to 64 printable ASCII characters");
		SecretKey key = keys.key(current);
		Assert.isTrue(
				key != null && "AES".equalsIgnoreCase(key.getAlgorithm())
						&& (key.getEncoded() == null || key.getEncoded().length == 32),
				() -> "The current encryption key '" + current + "' is not an available AES-256 key");
		seal(new byte[] { 1, 1 }, "self-test", new byte[0]);
	}

	/**
	 * Encrypts with the current key.
	 * @param head the record's version and flags (flags with the encrypted flag set)
	 * @param storageKey the key the record is stored under
	 * @param plain what the record holds after its fingerprint
	 * @return the key id, the nonce and the ciphertext
	 */
	byte[] seal(byte[] head, String storageKey, byte[] plain) {
		String id = this.keys.currentKeyId();
		SecretKey key = this.keys.key(id);
		if (key == null) {
			throw new IllegalStateException("The current encryption key '" + id + "' is not available");
		}
		byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		byte[] sealed;
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(associatedData(head, storageKey));
			sealed = new byte[1 + idBytes.length + NONCE_BYTES + cipher.getOutputSize(plain.length)];
			cipher.doFinal(plain, 0, plain.length, sealed, 1 + idBytes.length + NONCE_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not encrypt a stored response: " + ex.getMessage(), ex);
		}
		sealed[0] = (byte) idBytes.length;
		System.arraycopy(idBytes, 0, sealed, 1, idBytes.length);
		System.arraycopy(nonce, 0, sealed, 1 + idBytes.length, NONCE_BYTES);
		return sealed;
	}

	/**
	 * Decrypts with the key the record names.
	 * @param head the record's version and flags
	 * @param storageKey the key the record is stored under
	 * @param sealed what {@link #seal} returned
	 * @return what the record held after its fingerprint
	 * @throws io.github.idempotency.IdempotencyRecordException when the record names a
	 * key that is not available, or does not decrypt
	 */
	byte[] open(byte[] head, String storageKey, byte[] sealed) {
		if (sealed.length < 1 || sealed.length < 1 + (sealed[0] & 0xFF) + NONCE_BYTES + TAG_BITS / 8) {
			throw RecordCodec.unreadable("truncated encrypted response", null);
		}
		int idLength = sealed[0] & 0xFF;
		String id = new String(sealed, 1, idLength, StandardCharsets.US_ASCII);
		SecretKey key = this.keys.key(id);
		if (key == null) {
			throw RecordCodec.unreadable("the response is encrypted with key '" + id
					+ "', which is not configured (idempotency.encryption.keys." + id
					+ "); the request will not run again under this key", null);
		}
		int offset = 1 + idLength + NONCE_BYTES;
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.DECRYPT_MODE, key,
					new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(sealed, 1 + idLength, offset)));
			cipher.updateAAD(associatedData(head, storageKey));
			return cipher.doFinal(sealed, offset, sealed.length - offset);
		}
		catch (AEADBadTagException ex) {
			throw RecordCodec.unreadable("the response does not decrypt with key '" + id
					+ "' under its storage key: it was altered, or copied from another key", ex);
		}
		catch (GeneralSecurityException ex) {
			throw RecordCodec.unreadable("the response could not be decrypted with key '" + id + "'", ex);
		}
	}

	/**
	 * A deterministic random bit generator (NIST SP 800-90A), seeded here, at start-up.
	 * The platform default ({@code NativePRNG}) reads {@code /dev/urandom} for every
	 * nonce, a file read that must not happen on an event loop; the DRBG draws nonces
	 * from memory and reseeds only after 2<sup>31</sup> requests.
	 */
	private static SecureRandom seededGenerator() {
		SecureRandom generator;
		try {
			generator = SecureRandom.getInstance("DRBG");
		}
		catch (GeneralSecurityException ex) {
			generator = new SecureRandom();
		}
		generator.nextBytes(new byte[NONCE_BYTES]);
		return generator;
	}

	private static byte[] associatedData(byte[] head, String storageKey) {
		byte[] key = storageKey.getBytes(StandardCharsets.UTF_8);
		byte[] data = new byte[2 + key.length];
		data[0] = head[0];
		data[1] = head[1];
		System.arraycopy(key, 0, data, 2, key.length);
		return data;
	}

}
