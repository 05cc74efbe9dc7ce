package io.github.idempotency.method;

import java.lang.reflect.Type;

/**
 * Turns the return values of {@code @Idempotent(key = ...)} methods into bytes for the
 * store and back, read as the method's declared generic return type ({@code Receipt},
 * {@code List<Receipt>}, {@code Map<String, Long>}). The starter's codec uses the
 * application's JSON mapper (Jackson 3 on Spring Boot 4, Jackson 2 on Spring Boot 3);
 * define a bean of this type to use another format. {@code void}, {@code String},
 * {@code byte[]} and primitives (and their wrappers) never reach the codec, nor does
 * {@code null}.
 *
 * <p>
 * A codec must read back what it wrote on every instance of the application, including
 * instances of the next version during a rolling upgrade.
 */
public interface ReturnValueCodec {

	/**
	 * Encodes a return value.
	 * @param value the value, never {@code null}
	 * @param type the method's declared return type, resolved against the bean's class
	 * @return the bytes to store
	 * @throws RuntimeException when the value cannot be encoded; the method has run, its
	 * value is returned, and the key stays claimed until its lock timeout passes
	 */
	byte[] encode(Object value, Type type);

	/**
	 * Decodes a stored return value.
	 * @param bytes what {@link #encode} wrote
	 * @param type the method's declared return type, resolved against the bean's class
	 * @return the value
	 * @throws RuntimeException when the bytes cannot be read as that type; the call fails
	 * as with an unreadable record and the method does not run
	 */
	Object decode(byte[] bytes, Type type);

}
