package io.github.idempotency.internal.memory;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.github.idempotency.ClaimResult;
import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.IdempotencyStoreException;
import io.github.idempotency.RecordInspection;
import io.github.idempotency.StoredResponse;
import io.github.idempotency.internal.record.RecordCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An {@link IdempotencyStore} in the heap of one JVM, for development, tests and single
 * instances. Every operation is atomic per key (no lock shared by all keys) and every
 * record expires. A record is the same compact byte array the Redis store keeps
 * ({@link RecordCodec}, bodies above the compression threshold deflated), so the bound on
 * entries bounds the heap. The number of live records is bounded: when the store is full
 * and no record has expired, new claims fail with {@link IdempotencyStoreException} (and
 * so are refused with 503 under the default fail-closed policy) instead of exhausting the
 * heap.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

	/** Default bound on live records. */
	public static final int DEFAULT_MAX_ENTRIES = 100_000;

	private static final long SWEEP_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

	private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();

	private final int maxEntries;

	private final LongSupplier nanoClock;

	private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);

	private final RecordCodec codec;

	/**
	 * Creates a store bounded to {@link #DEFAULT_MAX_ENTRIES}.
	 */
	public InMemoryIdempotencyStore() {
		this(DEFAULT_MAX_ENTRIES);
	}

	/**
	 * Creates a store.
	 * @param maxEntries the most records kept at once
	 */
	public InMemoryIdempotencyStore(int maxEntries) {
		this(maxEntries, new RecordCodec(RecordCodec.DEFAULT_COMPRESSION_THRESHOLD));
	}

	/**
	 * Creates a store that encodes records with the given codec.
	 * @param maxEntries the most records kept at once
	 * @param codec encodes and reads the records
	 */
	public InMemoryIdempotencyStore(int maxEntries, RecordCodec codec) {
		this(maxEntries, codec, System::nanoTime);
	}

	InMemoryIdempotencyStore(int maxEntries, RecordCodec codec, LongSupplier nanoClock) {
		Assert.isTrue(maxEntries > 0, "maxEntries must be positive");
		Assert.notNull(codec, "codec must not be null");
		this.maxEntries = maxEntries;
		this.codec = codec;
		this.nanoClock = nanoClock;
	}

	/** Every call answers from the heap at once: it never waits, so it never blocks. */
	@Override
	public boolean isBlocking() {
		return false;
	}

	@Override
	public ClaimResult claim(String key, String owner, String fingerprint, Duration lockTimeout) {
		long now = this.nanoClock.getAsLong();
		ensureCapacity(key, now);
		Entry claim = new Entry(this.codec.inFlight(fingerprint, owner), now + lockTimeout.toNanos());
		Entry current = this.entries.compute(key,
				(k, existing) -> (existing != null && existing.isLive(now)) ? existing : claim);
		if (current == claim) {
			return ClaimResult.CLAIMED;
		}
		ClaimResult existing = this.codec.decode(current.record, key);
		if (existing instanceof ClaimResult.InFlight inFlight) {
			// read the clock again: the claim found may have been made after "now" was
			// read here,
			// and the time it still lives must never exceed its lock timeout
			long remaining = current.expiresAt - this.nanoClock.getAsLong();
			return new ClaimResult.InFlight(inFlight.fingerprint(), Duration.ofNanos(Math.max(1, remaining)));
		}
		return existing;
	}

	@Override
	public boolean complete(String key, String owner, StoredResponse response, Duration ttl) {
		long now = this.nanoClock.getAsLong();
		byte[] ownerToken = this.codec.ownerToken(owner);
		RecordCodec.Finished finished = this.codec.finished(response, key);
		boolean[] written = new boolean[1];
		this.entries.computeIfPresent(key, (k, existing) -> {
			if (existing.isLive(now) && this.codec.isInFlightFor(existing.record, ownerToken)) {
				written[0] = true;
				return new Entry(this.codec.finish(existing.record, finished), now + ttl.toNanos());
			}
			return existing;
		});
		return written[0];
	}

	@Override
	public boolean release(String key, String owner) {
		long now = this.nanoClock.getAsLong();
		byte[] ownerToken = this.codec.ownerToken(owner);
		boolean[] released = new boolean[1];
		this.entries.computeIfPresent(key, (k, existing) -> {
			if (existing.isLive(now) && this.codec.isInFlightFor(existing.record, ownerToken)) {
				released[0] = true;
				return null;
			}
			return existing;
		});
		return released[0];
	}

	@Override
	public boolean renew(String key, String owner, Duration lockTimeout) {
		long now = this.nanoClock.getAsLong();
		byte[] ownerToken = this.codec.ownerToken(owner);
		boolean[] renewed = new boolean[1];
		this.entries.computeIfPresent(key, (k, existing) -> {
			if (existing.isLive(now) && this.codec.isInFlightFor(existing.record, ownerToken)) {
				renewed[0] = true;
				return new Entry(existing.record, now + lockTimeout.toNanos());
			}
			return existing;
		});
		return renewed[0];
	}

	@Override
	public @Nullable RecordInspection inspect(String key) {
		long now = this.nanoClock.getAsLong();
		Entry entry = this.entries.get(key);
		if (entry == null || !entry.isLive(now)) {
			return null;
		}
		ClaimResult record = this.codec.decode(entry.record, key);
		Duration expiresIn = Duration.ofNanos(Math.max(1, entry.expiresAt - now));
		if (record instanceof ClaimResult.InFlight inFlight) {
			record = new ClaimResult.InFlight(inFlight.fingerprint(), expiresIn);
		}
		return new RecordInspection(record, expiresIn);
	}

	@Override
	public boolean evict(String key) {
		long now = this.nanoClock.getAsLong();
		Entry removed = this.entries.remove(key);
		return removed != null && removed.isLive(now);
	}

	/**
	 * Returns the number of records held, live or expired but not yet swept.
	 * @return the number of records
	 */
	public int size() {
		return this.entries.size();
	}

	/**
	 * Returns the most records this store keeps at once.
	 * @return the capacity
	 */
	public int maxEntries() {
		return this.maxEntries;
	}

	private void ensureCapacity(String key, long now) {
		if (this.entries.size() < this.maxEntries) {
			return;
		}
		long due = this.nextSweep.get();
		if ((due == Long.MIN_VALUE || now - due >= 0)
				&& this.nextSweep.compareAndSet(due, now + SWEEP_INTERVAL_NANOS)) {
			this.entries.values().removeIf((entry) -> !entry.isLive(now));
		}
		if (this.entries.size() >= this.maxEntries && !this.entries.containsKey(key)) {
			throw new IdempotencyStoreException("In-memory idempotency store is full (" + this.maxEntries
					+ " live records); raise idempotency.in-memory.max-entries or use Redis", null);
		}
	}

	private record Entry(byte[] record, long expiresAt) {

		boolean isLive(long now) {
			return this.expiresAt - now > 0;
		}

	}

}
