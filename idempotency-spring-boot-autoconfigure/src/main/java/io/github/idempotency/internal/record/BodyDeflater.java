package io.github.idempotency.internal.record;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Raw deflate (no zlib header) of response bodies at the fastest level, and the exact
 * inverse: inflating must yield exactly the recorded length and consume every byte, or
 * the record is unreadable.
 */
final class BodyDeflater {

	/** Deflate cannot expand data by more than this factor; a larger claim is corrupt. */
	private static final int MAX_INFLATE_RATIO = 1032;

	private BodyDeflater() {
	}

	static byte[] deflate(byte[] body) {
		Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
		try {
			deflater.setInput(body);
			deflater.finish();
			ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
			byte[] buffer = new byte[Math.min(body.length + 64, 16384)];
			while (!deflater.finished()) {
				int n = deflater.deflate(buffer);
				out.write(buffer, 0, n);
			}
			return out.toByteArray();
		}
		finally {
			deflater.end();
		}
	}

	static byte[] inflate(byte[] deflated, int length) {
		if ((long) deflated.length * MAX_INFLATE_RATIO + 64 < length) {
			throw RecordCodec.unreadable("deflated body claims " + length + " bytes from " + deflated.length, null);
		}
		Inflater inflater = new Inflater(true);
		try {
			inflater.setInput(deflated);
			byte[] body = new byte[length];
			int filled = 0;
			while (filled < length) {
				int n = inflater.inflate(body, filled, length - filled);
				if (n == 0) {
					break;
				}
				filled += n;
			}
			boolean ended = inflater.finished() || (inflater.inflate(new byte[1]) == 0 && inflater.finished());
			if (filled != length || !ended || inflater.getRemaining() != 0) {
				throw RecordCodec.unreadable("deflated body does not match its length " + length, null);
			}
			return body;
		}
		catch (DataFormatException ex) {
			throw RecordCodec.unreadable("deflated body is corrupt", ex);
		}
		finally {
			inflater.end();
		}
	}

}
