/**
 * The Redis store: Lua scripts or {@code SET NX GET}, Lettuce and Jedis, standalone,
 * Sentinel and Cluster, connected before the first request.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.redis;

import org.jspecify.annotations.NullMarked;
