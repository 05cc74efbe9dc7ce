package io.github.idempotency.internal.fingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * SHA-256 with fields separated unambiguously, as lower-case hex or unpadded base64url.
 */
public final class Sha256 {

	/**
	 * A digest in its initial state, never updated: each instance starts from a copy of
	 * it, which costs less than looking the algorithm up among the security providers
	 * each time.
	 */
	private static final MessageDigest INITIAL = newDigest();

	private final MessageDigest digest;

	private Sha256(MessageDigest digest) {
		this.digest = digest;
	}

	private static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required by every Java platform", ex);
		}
	}

	public static Sha256 create() {
		try {
			return new Sha256((MessageDigest) INITIAL.clone());
		}
		catch (CloneNotSupportedException ex) {
			return new Sha256(newDigest());
		}
	}

	/** Adds a field: its length, then its UTF-8 bytes, so no two field lists collide. */
	public Sha256 field(String value) {
		return field(value.getBytes(StandardCharsets.UTF_8));
	}

	public Sha256 field(byte[] value) {
		lengthPrefix(value.length);
		this.digest.update(value);
		return this;
	}

	public String hex() {
		return HexFormat.of().formatHex(this.digest.digest());
	}

	/** The first {@code bytes} bytes of the digest in unpadded base64url. */
	public String base64Url(int bytes) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(this.digest.digest(), bytes));
	}

	private void lengthPrefix(int length) {
		this.digest.update((byte) (length >>> 24));
		this.digest.update((byte) (length >>> 16));
		this.digest.update((byte) (length >>> 8));
		this.digest.update((byte) length);
	}

}
