package io.github.idempotency.internal.method;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.stream.BaseStream;

import io.github.idempotency.StoredResponse;
import io.github.idempotency.method.ReturnValueCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.core.GenericTypeResolver;
import org.springframework.core.MethodParameter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;

/**
 * How the return value of one {@code @Idempotent(key = ...)} method is stored and read
 * back: {@code void}, {@code String}, {@code byte[]} and primitives (and their wrappers)
 * as plain bytes, anything else through the {@link ReturnValueCodec}. The stored record
 * is a {@link StoredResponse}: status 200 with a {@code Content-Type} naming the form, or
 * 204 for {@code null} and {@code void}. A record in another form than the method's (the
 * return type changed between versions) is not read as this one.
 */
final class ReturnValues {

	private static final String KOTLIN_UNIT = "kotlin.Unit";

	private static final String TEXT = "text/plain;charset=UTF-8";

	private static final String BYTES = "application/octet-stream";

	private static final String JSON = "application/json";

	private static final Class<?>[] UNSTORABLE = { Optional.class, BaseStream.class, Iterator.class, Future.class,
			CompletionStage.class, Flow.Publisher.class };

	private final Class<?> type;

	private final Type genericType;

	private final @Nullable String form;

	private final @Nullable ReturnValueCodec codec;

	private ReturnValues(Class<?> type, Type genericType, @Nullable String form, @Nullable ReturnValueCodec codec) {
		this.type = type;
		this.genericType = genericType;
		this.form = form;
		this.codec = codec;
	}

	/**
	 * Decides how a method's return values are stored.
	 * @param method the method
	 * @param targetClass the bean's class, to resolve generic return types
	 * @param codec the codec for values that are not plain, or {@code null} when there is
	 * none
	 * @return how its values are stored
	 * @throws IllegalArgumentException saying why the return type cannot be stored
	 */
	static ReturnValues of(Method method, Class<?> targetClass, @Nullable ReturnValueCodec codec) {
		// a Kotlin suspend function returns Object to Java: its parameter says what the
		// coroutine returns
		MethodParameter returnType = new MethodParameter(method, -1);
		Class<?> type = returnType.getParameterType();
		Type genericType = GenericTypeResolver.resolveType(returnType.getGenericParameterType(), targetClass);
		for (Class<?> unstorable : UNSTORABLE) {
			if (unstorable.isAssignableFrom(type)) {
				throw new IllegalArgumentException("it returns " + type.getSimpleName()
						+ ", which cannot be stored and returned again; return the value itself");
			}
		}
		if (ReactiveAdapterRegistry.getSharedInstance().getAdapter(type) != null) {
			throw new IllegalArgumentException("it returns the reactive type " + type.getSimpleName()
					+ ", which cannot be stored and returned again; return the value itself");
		}
		if (type == void.class || type == Void.class || KOTLIN_UNIT.equals(type.getName())) {
			return new ReturnValues(type, genericType, null, null);
		}
		if (type == String.class) {
			return new ReturnValues(type, genericType, TEXT, null);
		}
		if (type == byte[].class) {
			return new ReturnValues(type, genericType, BYTES, null);
		}
		if (ClassUtils.isPrimitiveOrWrapper(type)) {
			return new ReturnValues(ClassUtils.resolvePrimitiveIfNecessary(type), genericType, TEXT, null);
		}
		if (codec == null) {
			throw new IllegalArgumentException("it returns " + genericType.getTypeName()
					+ ", which is stored as JSON, and the application has no JSON mapper (Jackson); add Jackson, "
					+ "or define a ReturnValueCodec bean");
		}
		return new ReturnValues(type, genericType, JSON, codec);
	}

	/**
	 * The record of a return value.
	 * @param value what the method returned
	 * @return the record to store
	 */
	StoredResponse toStored(@Nullable Object value) {
		if (value == null || this.form == null) {
			return new StoredResponse(204, List.of(), new byte[0]);
		}
		byte[] bytes;
		if (this.codec != null) {
			bytes = this.codec.encode(value, this.genericType);
		}
		else if (this.type == byte[].class) {
			bytes = (byte[]) value;
		}
		else {
			bytes = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
		}
		return new StoredResponse(200, List.of(Map.entry("Content-Type", this.form)), bytes);
	}

	/**
	 * Reads a stored return value back as the method's return type.
	 * @param stored the record
	 * @return the value
	 * @throws IllegalArgumentException when the record is not one of this method's values
	 */
	@Nullable Object fromStored(StoredResponse stored) {
		if (stored.status() == 204 && stored.body().length == 0) {
			return null;
		}
		String storedForm = stored.headers().isEmpty() ? null : stored.headers().get(0).getValue();
		if (stored.status() != 200 || this.form == null || !this.form.equals(storedForm)) {
			throw new IllegalArgumentException(
					"the stored result (" + storedForm + ") is not a value of the return type "
							+ this.genericType.getTypeName() + " (was the method's return type changed?)");
		}
		if (this.codec != null) {
			return this.codec.decode(stored.body(), this.genericType);
		}
		if (this.type == byte[].class) {
			return stored.body();
		}
		return plain(new String(stored.body(), StandardCharsets.UTF_8));
	}

	private Object plain(String text) {
		if (this.type == String.class) {
			return text;
		}
		if (this.type == Character.class) {
			if (text.length() != 1) {
				throw new IllegalArgumentException("the stored result \"" + text + "\" is not one char");
			}
			return text.charAt(0);
		}
		if (this.type == Boolean.class) {
			if (!text.equals("true") && !text.equals("false")) {
				throw new IllegalArgumentException("the stored result \"" + text + "\" is not a boolean");
			}
			return Boolean.valueOf(text);
		}
		try {
			return switch (this.type.getSimpleName()) {
				case "Byte" -> Byte.valueOf(text);
				case "Short" -> Short.valueOf(text);
				case "Integer" -> Integer.valueOf(text);
				case "Long" -> Long.valueOf(text);
				case "Float" -> Float.valueOf(text);
				default -> Double.valueOf(text);
			};
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(
					"the stored result \"" + text + "\" is not a " + this.type.getSimpleName(), ex);
		}
	}

}
