package io.github.idempotency.internal.method;

import java.io.IOException;
import java.lang.reflect.Type;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.util.Assert;

/**
 * Return values as JSON through the application's Jackson 2 {@link ObjectMapper} (Spring
 * Boot 3).
 */
public final class Jackson2ReturnValueCodec extends JsonReturnValueCodec {

	private final ObjectMapper mapper;

	/**
	 * Creates a codec.
	 * @param mapper the application's mapper
	 */
	public Jackson2ReturnValueCodec(ObjectMapper mapper) {
		Assert.notNull(mapper, "mapper must not be null");
		this.mapper = mapper;
	}

	@Override
	byte[] write(Object value, Type type) throws IOException {
		return this.mapper.writerFor(this.mapper.constructType(type)).writeValueAsBytes(value);
	}

	@Override
	Object read(byte[] bytes, Type type) throws IOException {
		return this.mapper.readValue(bytes, this.mapper.constructType(type));
	}

}
