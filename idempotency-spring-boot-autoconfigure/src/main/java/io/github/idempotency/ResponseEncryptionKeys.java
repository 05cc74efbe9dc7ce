package io.github.idempotency;

import java.util.Map;

import javax.crypto.SecretKey;

import org.jspecify.annotations.Nullable;

/**
 * The AES-256 keys stored responses are encrypted with (AES-256-GCM, a fresh nonce per
 * record, the storage key as associated data). The starter makes one from
 * {@code idempotency.encryption.keys.<id>} and
 * {@code idempotency.encryption.current-key}; an application that takes its keys from a
 * key management service defines a bean of this type instead.
 *
 * <p>
 * Every record names the id of the key that encrypted it, so a key must stay available
 * under its id for as long as records encrypted with it live (their {@code ttl}): to
 * rotate, add a new key, make it current, and remove the old one once its records have
 * expired. A record whose key is no longer available is unreadable: its key never runs
 * again, and its retries are answered {@code 409 record-unreadable}.
 */
public interface ResponseEncryptionKeys {

	/**
	 * The id of the key new records are encrypted with; {@link #key} must return it.
	 * @return 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
	 */
	String currentKeyId();

	/**
	 * The key with an id.
	 * @param id the id a record names
	 * @return the 256-bit AES key, or {@code null} when no key has this id (any more)
	 */
	@Nullable SecretKey key(String id);

	/**
	 * Keys held in memory.
	 * @param currentKeyId the id of the key new records are encrypted with
	 * @param keys the keys by id, each 32 bytes
	 * @return the keys
	 * @throws IllegalArgumentException when an id is malformed, a key is not 32 bytes
	 * long, or {@code currentKeyId} is not among the keys; the message never contains a
	 * key
	 */
	static ResponseEncryptionKeys of(String currentKeyId, Map<String, byte[]> keys) {
		return new FixedEncryptionKeys(currentKeyId, keys);
	}

}
