/**
 * Canonical JSON (RFC 8785) and SHA-256 with unambiguous fields: what fingerprints and
 * storage keys are made of, the same on every JVM and Spring Boot line.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.fingerprint;

import org.jspecify.annotations.NullMarked;
