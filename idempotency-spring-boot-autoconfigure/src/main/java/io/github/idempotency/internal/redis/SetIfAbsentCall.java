package io.github.idempotency.internal.redis;

/**
 * {@code SET key value NX GET PX millis}: sets the key unless it exists and answers what
 * it held, {@code null} when it set it. One plain command, no script; Redis 7.0 or newer
 * (6.2 refuses {@code NX} with {@code GET}, older versions {@code GET}, both as a syntax
 * error).
 *
 * @param key the key
 * @param value the value to set when the key is absent
 * @param millis the time to live of the value set, in milliseconds
 */
record SetIfAbsentCall(byte[] key, byte[] value, long millis) implements RedisCall {

	/**
	 * The error Redis answers when it does not know {@code NX} together with {@code GET}.
	 */
	static final String UNSUPPORTED = "syntax error";

}
