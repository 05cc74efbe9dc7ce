package io.github.idempotency.web;

/**
 * Builds the store key of a request: {@code <prefix>:<sha-256 of scope and client key>}, the
 * hash in unpadded base64url (43 characters). The client's bytes never appear in the key, so
 * they cannot choose a Redis Cluster slot (no hash tag), collide with other keys, or inject
 * characters into it.
 */
final class StorageKeys {

	private final String prefix;

	StorageKeys(String prefix) {
		this.prefix = prefix + ":";
	}

	String storageKey(String scope, String clientKey) {
		return this.prefix + Sha256.create().field(scope).field(clientKey).base64Url();
	}

}
