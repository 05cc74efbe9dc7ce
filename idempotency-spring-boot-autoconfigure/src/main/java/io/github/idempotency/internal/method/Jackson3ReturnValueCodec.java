package io.github.idempotency.internal.method;

import java.lang.reflect.Type;

import tools.jackson.databind.ObjectMapper;

import org.springframework.util.Assert;

/**
 * Return values as JSON through the application's Jackson 3 {@link ObjectMapper} (Spring
 * Boot 4).
 */
public final class Jackson3ReturnValueCodec extends JsonReturnValueCodec {

	private final ObjectMapper mapper;

	/**
	 * Creates a codec.
	 * @param mapper the application's mapper
	 */
	public Jackson3ReturnValueCodec(ObjectMapper mapper) {
		Assert.notNull(mapper, "mapper must not be null");
		this.mapper = mapper;
	}

	@Override
	byte[] write(Object value, Type type) {
		return this.mapper.writerFor(this.mapper.constructType(type)).writeValueAsBytes(value);
	}

	@Override
	Object read(byte[] bytes, Type type) {
		return this.mapper.readValue(bytes, this.mapper.constructType(type));
	}

}
