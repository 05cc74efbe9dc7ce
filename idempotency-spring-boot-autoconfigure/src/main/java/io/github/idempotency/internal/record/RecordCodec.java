package io.github.idempotency.internal.record;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyRecordException;
import io.github.idempotency.StoredResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The compact binary record both built-in stores keep under a key, version
 * {@value #VERSION}.
 *
 * <pre>
 * byte 0      format version ({@value #VERSION})
 * byte 1      flags: 0x01 finished, 0x02 body deflated, 0x04 response encrypted
 * bytes 2–3   length n of the fingerprint token (unsigned, big-endian)
 * n bytes     fingerprint token
 * in flight:  the owner token, to the end
 * finished:   status (2 bytes, big-endian), header count (varint), each header's name and
 *             value as a text; if deflated the body's length (varint); the body, to the end
 * encrypted:  instead of the above, the same bytes sealed by {@link ResponseCipher}: the
 *             key id, a nonce, the AES-256-GCM ciphertext and its tag
 * </pre>
 *
 * A text is a varint {@code n}: an even {@code n} is followed by {@code n / 2} bytes of
 * UTF-8, an odd {@code n} stands for entry {@code n / 2} of a fixed table of common
 * header names and values ({@code Content-Type}, {@code application/json},
 * {@code Location}, …). The table belongs to the version: it never changes without a new
 * version byte.
 *
 * A token is a kind byte (0: the text was lower-case hex and is stored as the bytes it
 * spells, 1: UTF-8) followed by its bytes, so the SPI's hex strings take half the space
 * and any other string still round-trips. Varints are unsigned LEB128. Bodies larger than
 * the compression threshold are stored raw-deflated (level 1) when that makes them
 * smaller.
 *
 * <p>
 * Anything that does not parse exactly — another version, a truncated value, trailing
 * garbage in a deflated body — is reported as {@link IdempotencyRecordException}, so a
 * request is never executed over a record it cannot read.
 */
public final class RecordCodec {

	/** The format version written in the first byte. */
	public static final int VERSION = 1;

	/** Compression threshold of the stores' convenience constructors, in bytes. */
	public static final int DEFAULT_COMPRESSION_THRESHOLD = 512;

	/** Flag of a finished record. */
	public static final int FINISHED = 0x01;

	/** Flag of a finished record whose body is deflated. */
	public static final int DEFLATED = 0x02;

	/** Flag of a finished record whose response is encrypted. */
	public static final int ENCRYPTED = 0x04;

	/** Offset of the fingerprint token (after version, flags and its length). */
	public static final int FINGERPRINT_OFFSET = 4;

	/**
	 * Common header names and values, each stored as one byte. Part of format version 1:
	 * a record written with it must read back the same, so it is never changed, only
	 * replaced together with a new version.
	 */
	private static final List<String> COMMON_TEXTS = List.of("Content-Type", "application/json", "Location",
			"Content-Length", "Cache-Control", "no-store", "no-cache", "ETag", "Last-Modified", "Vary", "Link",
			"Content-Language", "Content-Disposition", "application/problem+json", "text/plain;charset=UTF-8",
			"text/html;charset=UTF-8", "application/json;charset=UTF-8", "application/xml", "text/plain",
			"application/octet-stream", "Expires", "Pragma", "Retry-After", "X-Request-Id", "Accept",
			"Content-Encoding", "gzip");

	private static final Map<String, Integer> COMMON_TEXT_INDEX = indexOf(COMMON_TEXTS);

	private static final int KIND_HEX = 0;

	private static final int KIND_UTF8 = 1;

	private final int compressionThreshold;

	private final @Nullable ResponseCipher cipher;

	/**
	 * Creates a codec that stores responses in clear.
	 * @param compressionThreshold bodies longer than this many bytes are deflated when
	 * that makes them smaller; {@link Integer#MAX_VALUE} never deflates
	 */
	public RecordCodec(int compressionThreshold) {
		this(compressionThreshold, null);
	}

	/**
	 * Creates a codec.
	 * @param compressionThreshold bodies longer than this many bytes are deflated when
	 * that makes them smaller; {@link Integer#MAX_VALUE} never deflates
	 * @param cipher encrypts the responses of new records and decrypts encrypted ones;
	 * {@code null} stores them in clear (and cannot read encrypted ones)
	 */
	public RecordCodec(int compressionThreshold, @Nullable ResponseCipher cipher) {
		Assert.isTrue(compressionThreshold >= 0, "compressionThreshold must not be negative");
		this.compressionThreshold = compressionThreshold;
		this.cipher = cipher;
	}

	/**
	 * Encodes the record of a claim.
	 * @param fingerprint the request's fingerprint
	 * @param owner the claim's owner token
	 * @return the record
	 */
	public byte[] inFlight(String fingerprint, String owner) {
		byte[] fingerprintToken = token(fingerprint);
		byte[] ownerToken = token(owner);
		Assert.isTrue(fingerprintToken.length <= 0xFFFF, "fingerprint is too long");
		byte[] record = new byte[FINGERPRINT_OFFSET + fingerprintToken.length + ownerToken.length];
		record[0] = VERSION;
		record[1] = 0;
		record[2] = (byte) (fingerprintToken.length >>> 8);
		record[3] = (byte) fingerprintToken.length;
		System.arraycopy(fingerprintToken, 0, record, FINGERPRINT_OFFSET, fingerprintToken.length);
		System.arraycopy(ownerToken, 0, record, FINGERPRINT_OFFSET + fingerprintToken.length, ownerToken.length);
		return record;
	}

	/**
	 * Encodes an owner as it appears at the end of an in-flight record.
	 * @param owner the owner token
	 * @return its encoded form
	 */
	public byte[] ownerToken(String owner) {
		return token(owner);
	}

	/**
	 * Encodes what a finished record holds after its fingerprint: the first two bytes of
	 * the record (version and flags) and the rest (status, headers, body), encrypted when
	 * the codec has a cipher.
	 * @param response the response
	 * @param storageKey the key the record is stored under, bound to an encrypted
	 * response
	 * @return the head and the tail of the finished record
	 */
	public Finished finished(StoredResponse response, String storageKey) {
		byte[] body = response.body();
		byte[] stored = body;
		if (body.length > this.compressionThreshold) {
			byte[] deflated = BodyDeflater.deflate(body);
			if (deflated.length + varintSize(body.length) < body.length) {
				stored = deflated;
			}
		}
		boolean useDeflated = stored != body;
		ByteArrayOutputStream tail = new ByteArrayOutputStream(32 + response.headers().size() * 48 + stored.length);
		tail.write(response.status() >>> 8);
		tail.write(response.status());
		writeVarint(tail, response.headers().size());
		for (Map.Entry<String, String> header : response.headers()) {
			writeText(tail, header.getKey());
			writeText(tail, header.getValue());
		}
		if (useDeflated) {
			writeVarint(tail, body.length);
		}
		tail.writeBytes(stored);
		ResponseCipher encrypting = this.cipher;
		byte[] head = { VERSION,
				(byte) (FINISHED | (useDeflated ? DEFLATED : 0) | ((encrypting != null) ? ENCRYPTED : 0)) };
		byte[] plain = tail.toByteArray();
		return new Finished(head, (encrypting != null) ? encrypting.seal(head, storageKey, plain) : plain);
	}

	/**
	 * Turns an in-flight record into the finished one, as the Redis script does.
	 * @param inFlight the record of the claim
	 * @param finished the encoded response
	 * @return the finished record
	 */
	public byte[] finish(byte[] inFlight, Finished finished) {
		int end = FINGERPRINT_OFFSET + fingerprintTokenLength(inFlight);
		byte[] record = new byte[end + finished.tail().length];
		System.arraycopy(finished.head(), 0, record, 0, 2);
		System.arraycopy(inFlight, 2, record, 2, end - 2);
		System.arraycopy(finished.tail(), 0, record, end, finished.tail().length);
		return record;
	}

	/**
	 * Where the fingerprint token of a record ends: the first two bytes of a record
	 * change when it is finished, the bytes up to here stay, the rest is replaced.
	 * @param record a record of this version
	 * @return the offset after the fingerprint token
	 */
	public static int fingerprintEnd(byte[] record) {
		return FINGERPRINT_OFFSET + fingerprintTokenLength(record);
	}

	/**
	 * Whether {@code record} is an in-flight record of this version held by
	 * {@code owner}.
	 * @param record a record
	 * @param ownerToken the owner as {@link #ownerToken} encodes it
	 * @return whether the owner holds the unfinished claim
	 */
	public boolean isInFlightFor(byte[] record, byte[] ownerToken) {
		if (record.length < FINGERPRINT_OFFSET || record[0] != VERSION || record[1] != 0) {
			return false;
		}
		int start = FINGERPRINT_OFFSET + fingerprintTokenLength(record);
		return start <= record.length && Arrays.equals(record, start, record.length, ownerToken, 0, ownerToken.length);
	}

	/**
	 * Reads a record.
	 * @param record the stored bytes
	 * @param storageKey the key the record is stored under, bound to an encrypted
	 * response
	 * @return {@link ClaimResult.InFlight} or {@link ClaimResult.Completed}
	 * @throws IdempotencyRecordException if the bytes are not a record this version can
	 * read, or an encrypted response that does not decrypt
	 */
	public ClaimResult decode(byte[] record, String storageKey) {
		Reader in = new Reader(record);
		int version = in.unsignedByte();
		if (version != VERSION) {
			throw unreadable("unknown format version " + version, null);
		}
		int flags = in.unsignedByte();
		if ((flags & ~(FINISHED | DEFLATED | ENCRYPTED)) != 0 || (flags != 0 && (flags & FINISHED) == 0)) {
			throw unreadable("unknown flags " + flags, null);
		}
		int fingerprintLength = in.unsignedByte() << 8 | in.unsignedByte();
		String fingerprint = untoken(in.bytes(fingerprintLength));
		if ((flags & FINISHED) == 0) {
			untoken(in.bytes(record.length - in.position));
			return new ClaimResult.InFlight(fingerprint);
		}
		byte[] rest = in.bytes(record.length - in.position);
		if ((flags & ENCRYPTED) != 0) {
			rest = decrypt(record, storageKey, rest);
		}
		Reader response = new Reader(rest);
		int status = response.unsignedByte() << 8 | response.unsignedByte();
		int count = response.varint();
		List<Map.Entry<String, String>> headers = new ArrayList<>(Math.min(count, 64));
		for (int i = 0; i < count; i++) {
			headers.add(Map.entry(response.text(), response.text()));
		}
		byte[] body;
		if ((flags & DEFLATED) != 0) {
			int length = response.varint();
			body = BodyDeflater.inflate(response.bytes(rest.length - response.position), length);
		}
		else {
			body = response.bytes(rest.length - response.position);
		}
		try {
			return new ClaimResult.Completed(fingerprint, new StoredResponse(status, headers, body));
		}
		catch (IllegalArgumentException ex) {
			throw unreadable(ex.getMessage(), ex);
		}
	}

	private byte[] decrypt(byte[] record, String storageKey, byte[] sealed) {
		ResponseCipher decrypting = this.cipher;
		if (decrypting == null) {
			throw unreadable("the response is encrypted, and no encryption keys are configured "
					+ "(idempotency.encryption.keys)", null);
		}
		return decrypting.open(new byte[] { record[0], record[1] }, storageKey, sealed);
	}

	private static int fingerprintTokenLength(byte[] record) {
		return (record[2] & 0xFF) << 8 | (record[3] & 0xFF);
	}

	private static byte[] token(String text) {
		int length = text.length();
		if (length > 0 && length % 2 == 0) {
			byte[] token = new byte[1 + length / 2];
			token[0] = KIND_HEX;
			int i = 0;
			for (; i < length; i += 2) {
				int high = lowerCaseHexDigit(text.charAt(i));
				int low = lowerCaseHexDigit(text.charAt(i + 1));
				if ((high | low) < 0) {
					break;
				}
				token[1 + i / 2] = (byte) (high << 4 | low);
			}
			if (i == length) {
				return token;
			}
		}
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		byte[] token = new byte[1 + utf8.length];
		token[0] = KIND_UTF8;
		System.arraycopy(utf8, 0, token, 1, utf8.length);
		return token;
	}

	/** The value of a lower-case hex digit, or -1 for any other character. */
	private static int lowerCaseHexDigit(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
	}

	private static String untoken(byte[] token) {
		if (token.length == 0) {
			throw unreadable("empty token", null);
		}
		if (token[0] == KIND_HEX && token.length > 1) {
			return HexFormat.of().formatHex(token, 1, token.length);
		}
		if (token[0] == KIND_UTF8) {
			return new String(token, 1, token.length - 1, StandardCharsets.UTF_8);
		}
		throw unreadable("unknown token kind " + token[0], null);
	}

	private static void writeText(ByteArrayOutputStream out, String text) {
		Integer common = COMMON_TEXT_INDEX.get(text);
		if (common != null) {
			writeVarint(out, common * 2 + 1);
			return;
		}
		byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
		writeVarint(out, utf8.length * 2);
		out.writeBytes(utf8);
	}

	private static Map<String, Integer> indexOf(List<String> texts) {
		Map<String, Integer> index = new java.util.HashMap<>();
		for (int i = 0; i < texts.size(); i++) {
			index.put(texts.get(i), i);
		}
		return Map.copyOf(index);
	}

	private static void writeVarint(ByteArrayOutputStream out, int value) {
		int remaining = value;
		while ((remaining & ~0x7F) != 0) {
			out.write((remaining & 0x7F) | 0x80);
			remaining >>>= 7;
		}
		out.write(remaining);
	}

	private static int varintSize(int value) {
		int size = 1;
		for (int remaining = value >>> 7; remaining != 0; remaining >>>= 7) {
			size++;
		}
		return size;
	}

	static IdempotencyRecordException unreadable(@Nullable String reason, @Nullable Throwable cause) {
		return new IdempotencyRecordException("Unreadable idempotency record: " + reason, cause);
	}

	/**
	 * A finished record without its fingerprint.
	 *
	 * @param head version and flags, the first two bytes of the record
	 * @param tail status, headers and body, which follow the fingerprint
	 */
	public record Finished(byte[] head, byte[] tail) {
	}

	/** Reads a record front to back, failing on any read past its end. */
	private static final class Reader {

		private final byte[] bytes;

		private int position;

		Reader(byte[] bytes) {
			this.bytes = bytes;
		}

		int unsignedByte() {
			if (this.position >= this.bytes.length) {
				throw unreadable("truncated after " + this.position + " bytes", null);
			}
			return this.bytes[this.position++] & 0xFF;
		}

		byte[] bytes(int length) {
			if (length < 0 || length > this.bytes.length - this.position) {
				throw unreadable("truncated: " + length + " bytes wanted at " + this.position, null);
			}
			byte[] result = Arrays.copyOfRange(this.bytes, this.position, this.position + length);
			this.position += length;
			return result;
		}

		int varint() {
			int value = 0;
			for (int shift = 0; shift < 32; shift += 7) {
				int b = unsignedByte();
				value |= (b & 0x7F) << shift;
				if ((b & 0x80) == 0) {
					if (value < 0) {
						break;
					}
					return value;
				}
			}
			throw unreadable("malformed length at " + this.position, null);
		}

		String text() {
			int n = varint();
			if ((n & 1) == 0) {
				return new String(bytes(n >>> 1), StandardCharsets.UTF_8);
			}
			if (n >>> 1 >= COMMON_TEXTS.size()) {
				throw unreadable("unknown common text " + (n >>> 1), null);
			}
			return COMMON_TEXTS.get(n >>> 1);
		}

	}

}
