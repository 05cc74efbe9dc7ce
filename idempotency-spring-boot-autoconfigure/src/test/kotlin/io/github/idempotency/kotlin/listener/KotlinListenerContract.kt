package io.github.idempotency.kotlin.listener

import io.github.idempotency.testapp.TestApplication
import io.github.idempotency.testsupport.TestRedis
import io.micrometer.core.instrument.MeterRegistry
import org.assertj.core.api.Assertions.assertThat
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.springframework.boot.builder.SpringApplicationBuilder
import org.springframework.context.ConfigurableApplicationContext
import java.time.Duration
import java.util.UUID

/**
 * A `suspend` listener with `@Idempotent(key = ...)` on a real broker: two copies of a
 * message at once reach two consumers; the effect happens once, and the copy that finds
 * the first still running waits for it inside the function, without being redelivered,
 * then is acknowledged with the first one's result. Each broker runs it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KotlinListenerContract {

    private val redis = TestRedis.shared()

    /** Delivers one copy of a payment to the given consumer (0 or 1). */
    abstract fun publish(paymentId: String, consumer: Int)

    /** Whether every copy published so far has been acknowledged. */
    abstract fun allAcknowledged(): Boolean

    fun start(configuration: Class<*>, vararg settings: String): ConfigurableApplicationContext =
        SpringApplicationBuilder(TestApplication::class.java, configuration).properties(
            "server.port=0", "spring.main.banner-mode=off", "idempotency.store=redis",
            "idempotency.key-prefix=kotlin-listeners-" + UUID.randomUUID(), "spring.data.redis.host=${redis.host()}",
            "spring.data.redis.port=${redis.port()}", *settings
        ).run()

    abstract fun context(): ConfigurableApplicationContext

    /** The listener, as the `endpoint` tag names it. */
    abstract fun endpoint(): String

    private fun gates(): PaymentGates = context().getBean(PaymentGates::class.java)

    private fun outcomes(outcome: String): Double = context().getBean(MeterRegistry::class.java)
        .find("idempotency.requests").tags("endpoint", endpoint(), "outcome", outcome).counter()?.count() ?: 0.0

    @Test
    fun twoCopiesAtOnceRunTheSuspendListenerOnceAndNeitherIsRedelivered() {
        val id = "pay_" + UUID.randomUUID()
        val wait = Duration.ofSeconds(30)

        publish(id, 0)
        await().atMost(wait).until { gates().started(id) }
        publish(id, 1)
        await().atMost(wait).until { gates().deliveries(id) >= 2 }
        gates().open(id)

        await().atMost(wait).until { allAcknowledged() }
        assertThat(gates().effects(id)).isEqualTo(1)
        assertThat(gates().deliveries(id)).`as`("deliveries, redeliveries included").isEqualTo(2)
        assertThat(outcomes("executed") to outcomes("replayed")).isEqualTo(1.0 to 1.0)
        assertThat(outcomes("conflict")).`as`("copies that failed as in progress").isZero()
    }

}
