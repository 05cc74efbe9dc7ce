package io.github.idempotency.internal.redis;

import org.springframework.data.redis.connection.ReturnType;

/**
 * One of {@link RedisRecordScripts} applied to one key with its arguments.
 *
 * @param script the script
 * @param returnType the type of its reply: {@link ReturnType#MULTI} or
 * {@link ReturnType#INTEGER}
 * @param key the only key it touches ({@code KEYS[1]})
 * @param args its arguments ({@code ARGV})
 */
record ScriptCall(RecordScript script, ReturnType returnType, byte[] key, byte[]... args) implements RedisCall {

	/**
	 * @return the key followed by the arguments, as the scripting commands take them
	 */
	byte[][] keyAndArgs() {
		byte[][] all = new byte[this.args.length + 1][];
		all[0] = this.key;
		System.arraycopy(this.args, 0, all, 1, this.args.length);
		return all;
	}

	/**
	 * @return the script's text
	 */
	byte[] text() {
		return this.script.bytes();
	}

}
