package io.github.idempotency.internal.claim;

import io.github.idempotency.internal.fingerprint.Sha256;

/**
 * Builds the store key of a request: {@code <prefix>:<hash of scope and client key>}, the
 * hash being the first 128 bits of their SHA-256 in unpadded base64url (22 characters):
 * short keys take less memory in Redis, and 128 bits keep accidental collisions out of
 * reach (and a deliberate one would have to match another caller's scope too). The
 * client's bytes never appear in the key, so they cannot choose a Redis Cluster slot (no
 * hash tag), collide with other keys, or inject characters into it.
 */
public final class StorageKeys {

	private final String prefix;

	public StorageKeys(String prefix) {
		this.prefix = prefix + ":";
	}

	public String storageKey(String scope, String clientKey) {
		return this.prefix + Sha256.create().field(scope).field(clientKey).base64Url(16);
	}

	/**
	 * The scope of an authenticated caller's keys, the same through every door and scope
	 * resolver: {@code principal:<name>}.
	 * @param principalName the caller's name
	 * @return the scope
	 */
	public static String callerScope(String principalName) {
		return "principal:" + principalName;
	}

	/**
	 * The scope of an {@code @Idempotent(key = ...)} method's keys:
	 * {@code method:<scope>}.
	 * @param scope the method's scope ({@code Type#method}, or the annotation's)
	 * @return the scope
	 */
	public static String methodScope(String scope) {
		return "method:" + scope;
	}

}
