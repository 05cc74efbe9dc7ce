package io.github.idempotency.kotlin

import io.github.idempotency.testapp.TestApplication
import io.github.idempotency.testapp.TestHttp
import io.github.idempotency.testsupport.TestRedis
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.TestInstance
import org.springframework.boot.builder.SpringApplicationBuilder
import org.springframework.context.ConfigurableApplicationContext

/**
 * `suspend` handlers and service methods on Spring MVC (where a suspend handler is an
 * asynchronous request underneath), through real HTTP on a real Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KotlinSpringMvcTests : KotlinSuspendContract() {

    private val redis = TestRedis.shared()

    private val context: ConfigurableApplicationContext = SpringApplicationBuilder(
        TestApplication::class.java, KotlinRefunds::class.java
    ).properties(
        "server.port=0", "spring.main.banner-mode=off", "idempotency.store=redis",
        "idempotency.key-prefix=kotlin-mvc", "spring.data.redis.host=${redis.host()}",
        "spring.data.redis.port=${redis.port()}"
    ).run()

    override fun http() = TestHttp(context.environment.getRequiredProperty("local.server.port", Int::class.java))

    override fun runs(): KotlinRuns = context.getBean(KotlinRuns::class.java)

    override fun receipts(): RefundReceipts = context.getBean(RefundReceipts::class.java)

    @AfterAll
    fun stop() = context.close()

}
