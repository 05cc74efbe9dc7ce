/**
 * Connecting the store before the web server accepts traffic.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.startup;

import org.jspecify.annotations.NullMarked;
