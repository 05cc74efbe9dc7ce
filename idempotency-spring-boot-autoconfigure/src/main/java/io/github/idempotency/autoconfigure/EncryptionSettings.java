package io.github.idempotency.autoconfigure;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.idempotency.ResponseEncryptionKeys;

/**
 * Reads {@code idempotency.encryption.*} into {@link ResponseEncryptionKeys}, failing
 * start-up with a message that names the property at fault and never its value.
 */
final class EncryptionSettings {

	private static final String KEYS = "idempotency.encryption.keys";

	private static final String CURRENT = "idempotency.encryption.current-key";

	private EncryptionSettings() {
	}

	/**
	 * The keys the properties configure.
	 * @param encryption the properties, with a current key
	 * @return the keys
	 * @throws EncryptionSettingsException when a key is no base64 of 32 bytes, an id is
	 * malformed, or the current key is not among the keys
	 */
	static ResponseEncryptionKeys keys(IdempotencyProperties.Encryption encryption) {
		Map<String, byte[]> keys = new LinkedHashMap<>();
		encryption.getKeys().forEach((id, value) -> {
			byte[] key;
			try {
				key = Base64.getDecoder().decode((value != null) ? value.strip() : "");
			}
			catch (IllegalArgumentException ex) {
				throw new EncryptionSettingsException(KEYS + "." + id + " is not base64");
			}
			if (key.length != 32) {
				throw new EncryptionSettingsException(KEYS + "." + id + " is " + key.length
						+ " bytes long; an AES-256 key is the base64 of exactly 32 bytes");
			}
			keys.put(id, key);
		});
		String current = encryption.getCurrentKey();
		if (current == null || !keys.containsKey(current)) {
			throw new EncryptionSettingsException(CURRENT + "=" + current + " names no key of " + KEYS
					+ ((keys.isEmpty()) ? " (none is set)" : " (ids " + keys.keySet() + ")"));
		}
		try {
			return ResponseEncryptionKeys.of(current, keys);
		}
		catch (IllegalArgumentException ex) {
			throw new EncryptionSettingsException(KEYS + ": " + ex.getMessage());
		}
	}

	/**
	 * Checks that keys without a current key are not taken for encryption switched on.
	 * @param encryption the properties
	 * @throws EncryptionSettingsException when keys are set but no current key
	 */
	static void checkCurrentKeyNamed(IdempotencyProperties.Encryption encryption) {
		if (!encryption.getKeys().isEmpty() && encryption.getCurrentKey() == null) {
			throw new EncryptionSettingsException(
					KEYS + " is set but " + CURRENT + " is not, so responses would be stored in clear");
		}
	}

	/** Encryption settings that cannot work; the message names the property. */
	static final class EncryptionSettingsException extends IllegalStateException {

		static final String ACTION = "Set idempotency.encryption.keys.<id> to the base64 of 32 random bytes (openssl "
				+ "rand -base64 32) and idempotency.encryption.current-key to that id; keep older keys for as long "
				+ "as records encrypted with them live (idempotency.ttl).";

		EncryptionSettingsException(String message) {
			super(message);
		}

	}

}
