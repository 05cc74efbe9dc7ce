package io.github.idempotency;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * {@link ResponseEncryptionKeys} held in memory, checked when made. Its
 * {@link #toString()} names the ids, never a key.
 */
final class FixedEncryptionKeys implements ResponseEncryptionKeys {

	/** Ids are short and printable: they are written into every record. */
	static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final int KEY_BYTES = 32;

	private final String currentKeyId;

	private final Map<String, SecretKey> keys;

	FixedEncryptionKeys(String currentKeyId, Map<String, byte[]> keys) {
		Map<String, SecretKey> checked = new LinkedHashMap<>();
		keys.forEach((id, bytes) -> {
			if (id == null || !ID.matcher(id).matches()) {
				throw new IllegalArgumentException(
						"Encryption key id '" + id + "' is malformed: use 1 to 64 letters, digits, '.', '_' or '-'");
			}
			if (bytes == null || bytes.length != KEY_BYTES) {
				throw new IllegalArgumentException("Encryption key '" + id + "' has "
						+ ((bytes != null) ? bytes.length : 0) + " bytes; AES-256 needs exactly " + KEY_BYTES);
			}
			checked.put(id, new SecretKeySpec(bytes, "AES"));
		});
		if (currentKeyId == null || !checked.containsKey(currentKeyId)) {
			throw new IllegalArgumentException(
					"The current encryption key '" + currentKeyId + "' is not among the keys " + checked.keySet());
		}
		this.currentKeyId = currentKeyId;
		this.keys = Map.copyOf(checked);
	}

	@Override
	public String currentKeyId() {
		return this.currentKeyId;
	}

	@Override
	public @Nullable SecretKey key(String id) {
		return this.keys.get(id);
	}

	@Override
	public String toString() {
		return "ResponseEncryptionKeys(current " + this.currentKeyId + ", ids " + this.keys.keySet() + ")";
	}

}
