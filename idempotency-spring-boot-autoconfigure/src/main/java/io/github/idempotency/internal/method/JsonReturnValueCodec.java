package io.github.idempotency.internal.method;

import java.lang.reflect.Type;

import io.github.idempotency.method.ReturnValueCodec;

/**
 * A {@link ReturnValueCodec} writing JSON with one JSON library; the subclass for each
 * library only says how it writes and reads, and every failure is reported the same way.
 */
abstract class JsonReturnValueCodec implements ReturnValueCodec {

	@Override
	public final byte[] encode(Object value, Type type) {
		try {
			return write(value, type);
		}
		catch (Exception ex) {
			throw new IllegalArgumentException(
					"Could not write " + value.getClass().getName() + " as JSON: " + ex.getMessage(), ex);
		}
	}

	@Override
	public final Object decode(byte[] bytes, Type type) {
		try {
			return read(bytes, type);
		}
		catch (Exception ex) {
			throw new IllegalArgumentException("Could not read JSON as " + type.getTypeName() + ": " + ex.getMessage(),
					ex);
		}
	}

	abstract byte[] write(Object value, Type type) throws Exception;

	abstract Object read(byte[] bytes, Type type) throws Exception;

}
