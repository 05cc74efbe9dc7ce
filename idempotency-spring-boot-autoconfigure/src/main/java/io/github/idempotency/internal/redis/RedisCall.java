package io.github.idempotency.internal.redis;

/**
 * One call of {@link RedisIdempotencyStore} on one key, as a {@link ScriptTransport}
 * sends it: a script, or the plain {@code SET … NX GET PX} that claims a key on Redis 7
 * and newer.
 */
sealed interface RedisCall permits ScriptCall, SetIfAbsentCall {

	/**
	 * @return the only key the call touches
	 */
	byte[] key();

}
