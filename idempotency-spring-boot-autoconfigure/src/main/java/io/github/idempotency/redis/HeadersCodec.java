package io.github.idempotency.redis;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes response headers for the {@code headers} field of a record: a version byte, the
 * number of headers, then each name and value as length-prefixed UTF-8. Any byte a handler
 * puts into a header value survives the round trip.
 */
final class HeadersCodec {

	private static final int VERSION = 1;

	private HeadersCodec() {
	}

	static byte[] encode(List<Map.Entry<String, String>> headers) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + headers.size() * 48);
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			out.writeByte(VERSION);
			out.writeShort(headers.size());
			for (Map.Entry<String, String> header : headers) {
				out.writeUTF(header.getKey());
				out.writeUTF(header.getValue());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	static List<Map.Entry<String, String>> decode(byte[] encoded) throws IOException {
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
		int version = in.readUnsignedByte();
		if (version != VERSION) {
			throw new IOException("unknown headers encoding version " + version);
		}
		int count = in.readUnsignedShort();
		List<Map.Entry<String, String>> headers = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			headers.add(Map.entry(in.readUTF(), in.readUTF()));
		}
		if (in.available() > 0) {
			throw new IOException("trailing bytes after " + count + " headers");
		}
		return headers;
	}

}
