/**
 * RabbitMQ listener containers: a delivery whose key is in flight waits on its consumer,
 * then is requeued.
 *
 * <p>
 * Not API: the types here may change or disappear in any release, including patch
 * releases.
 */
@NullMarked
package io.github.idempotency.internal.amqp;

import org.jspecify.annotations.NullMarked;
