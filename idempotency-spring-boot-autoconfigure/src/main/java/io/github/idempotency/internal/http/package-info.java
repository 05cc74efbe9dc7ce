/**
 * What both web doors share: the key header, the request fingerprint, the problems, what
 * a stored response keeps and how it is replayed, and the start-up checks of
 * {@code @Idempotent} handler methods.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.http;

import org.jspecify.annotations.NullMarked;
