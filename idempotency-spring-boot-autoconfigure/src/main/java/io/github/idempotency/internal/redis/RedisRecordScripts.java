package io.github.idempotency.internal.redis;

import java.util.List;

import io.github.idempotency.internal.record.RecordCodec;

/**
 * The Lua scripts of {@link RedisIdempotencyStore}, one per operation, each on one key
 * holding one string: a {@link RecordCodec} record. The scripts read only the record's
 * first bytes (version, flags, fingerprint length) and compare the owner token at its
 * end.
 */
final class RedisRecordScripts {

	/**
	 * {@code SET key record NX PX lock-timeout}; when the key exists, returns its value
	 * and its remaining time to live in milliseconds. An empty array means claimed. A key
	 * of another type answers {@code WRONGTYPE}.
	 */
	static final RecordScript CLAIM = RecordScript.of("""
			if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
			  return {}
			end
			return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}
			""");

	/**
	 * If the record is an unfinished claim of this format owned by ARGV[1], replaces it
	 * by ARGV[2] (version and flags), its own fingerprint and ARGV[3] (status, headers,
	 * body), with the TTL ARGV[4].
	 */
	static final RecordScript COMPLETE = RecordScript.of(ownedClaim() + """
			redis.call('SET', KEYS[1], ARGV[2] .. string.sub(v, 3, fingerprintEnd) .. ARGV[3], 'PX', ARGV[4])
			return 1
			""");

	/**
	 * Deletes the record if it is an unfinished claim of this format owned by ARGV[1].
	 */
	static final RecordScript RELEASE = RecordScript.of(ownedClaim() + """
			return redis.call('DEL', KEYS[1])
			""");

	/**
	 * Extends the record's time to live to ARGV[2] milliseconds if it is an unfinished
	 * claim of this format owned by ARGV[1]: a renewal of a running call's claim.
	 */
	static final RecordScript RENEW = RecordScript.of(ownedClaim() + """
			return redis.call('PEXPIRE', KEYS[1], ARGV[2])
			""");

	/** The record and its remaining time to live in milliseconds, for an operator. */
	static final RecordScript INSPECT = RecordScript.of("""
			return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}
			""");

	/** Deletes the record, whatever it holds, for an operator. */
	static final RecordScript EVICT = RecordScript.of("""
			return redis.call('DEL', KEYS[1])
			""");

	/**
	 * Every script of the store's request path, loaded on every node before the first
	 * request.
	 */
	static final List<RecordScript> ALL = List.of(CLAIM, COMPLETE, RELEASE, RENEW);

	private RedisRecordScripts() {
	}

	/**
	 * Returns 0 unless the key holds an unfinished record of this version owned by
	 * ARGV[1].
	 */
	private static String ownedClaim() {
		return """
				local v = redis.call('GET', KEYS[1])
				if not v or string.len(v) < %d or string.byte(v, 1) ~= %d or string.byte(v, 2) ~= 0 then
				  return 0
				end
				local fingerprintEnd = %d + string.byte(v, 3) * 256 + string.byte(v, 4)
				if string.sub(v, fingerprintEnd + 1) ~= ARGV[1] then
				  return 0
				end
				""".formatted(RecordCodec.FINGERPRINT_OFFSET, RecordCodec.VERSION, RecordCodec.FINGERPRINT_OFFSET);
	}

}
