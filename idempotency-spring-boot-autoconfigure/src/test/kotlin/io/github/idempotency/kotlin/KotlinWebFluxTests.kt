package io.github.idempotency.kotlin

import io.github.idempotency.internal.reactive.app.ReactiveTestApplication
import io.github.idempotency.testapp.TestHttp
import io.github.idempotency.testsupport.TestRedis
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.springframework.context.ConfigurableApplicationContext
import org.springframework.web.reactive.DispatcherHandler

/**
 * `suspend` handlers and service methods on WebFlux (Netty), through real HTTP on a real
 * Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KotlinWebFluxTests : KotlinSuspendContract() {

    private val redis = TestRedis.shared()

    private val context: ConfigurableApplicationContext = ReactiveTestApplication.start(
        listOf(KotlinRefunds::class.java), "idempotency.store=redis", "idempotency.key-prefix=kotlin-webflux",
        "spring.data.redis.host=${redis.host()}", "spring.data.redis.port=${redis.port()}"
    )

    override fun http() = TestHttp(context.environment.getRequiredProperty("local.server.port", Int::class.java))

    override fun runs(): KotlinRuns = context.getBean(KotlinRuns::class.java)

    override fun receipts(): RefundReceipts = context.getBean(RefundReceipts::class.java)

    @Test
    fun theApplicationIsReactive() {
        assertThat(context.getBeanNamesForType(DispatcherHandler::class.java)).isNotEmpty
    }

    @AfterAll
    fun stop() = context.close()

}
