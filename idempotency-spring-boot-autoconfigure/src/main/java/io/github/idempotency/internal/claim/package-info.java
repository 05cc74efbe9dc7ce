/**
 * The claim engine: claim a key, decide what happens to the call ({@code Decision}),
 * settle the claim ({@code Claim}): the blocking and the asynchronous store calls side by
 * side. Imports no door and no store.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.claim;

import org.jspecify.annotations.NullMarked;
