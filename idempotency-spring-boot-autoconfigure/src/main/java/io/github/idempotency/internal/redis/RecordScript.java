package io.github.idempotency.internal.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script of {@link RedisRecordScripts} with its SHA-1 digest, computed once:
 * every call sends the digest ({@code EVALSHA}), so reading it must cost nothing and take
 * no lock.
 *
 * @param text the script
 * @param sha1 its SHA-1 digest, lower-case hex, as {@code SCRIPT LOAD} answers it
 */
record RecordScript(String text, String sha1) {

	static RecordScript of(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
			return new RecordScript(text, HexFormat.of().formatHex(digest));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required by every Java platform", ex);
		}
	}

	/**
	 * @return the script's UTF-8 bytes, as {@code EVAL} and {@code SCRIPT LOAD} take them
	 */
	byte[] bytes() {
		return this.text.getBytes(StandardCharsets.UTF_8);
	}

}
