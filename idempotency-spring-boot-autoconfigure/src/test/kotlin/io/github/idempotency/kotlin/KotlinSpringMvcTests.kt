package io.github.idempotency.kotlin

import io.github.idempotency.testapp.ObservedTestApplication
import io.github.idempotency.testapp.ObservedTestApplication.RecordedObservations
import io.github.idempotency.testapp.TestHttp
import io.github.idempotency.testsupport.TestRedis
import io.micrometer.core.instrument.kotlin.asContextElement
import io.micrometer.observation.Observation
import io.micrometer.observation.ObservationRegistry
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Test
import org.awaitility.Awaitility.await
import java.time.Duration
import java.util.UUID
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
        ObservedTestApplication::class.java, KotlinRefunds::class.java
    ).properties(
        "server.port=0", "spring.main.banner-mode=off", "idempotency.store=redis",
        "idempotency.key-prefix=kotlin-mvc", "spring.data.redis.host=${redis.host()}",
        "spring.data.redis.port=${redis.port()}"
    ).run()

    override fun http() = TestHttp(context.environment.getRequiredProperty("local.server.port", Int::class.java))

    override fun runs(): KotlinRuns = context.getBean(KotlinRuns::class.java)

    override fun receipts(): RefundReceipts = context.getBean(RefundReceipts::class.java)

    @Test
    fun theCallersObservationIsTheParentOfTheCallAndCurrentInsideTheFunction() {
        val registry = context.getBean(ObservationRegistry::class.java)
        val event = RefundEvent("rf_" + UUID.randomUUID(), 1250)
        val caller = Observation.start("refund.batch", registry)
        val seen = caller.openScope().use {
            runBlocking(registry.asContextElement()) {
                val first = receipts().observationSeen(event)
                assertThat(registry.currentObservation).isSameAs(caller)
                first
            }
        }
        caller.stop()

        assertThat(seen).isEqualTo("refund.batch")
        // the call's observation stops just after the caller resumes
        val call = await().atMost(Duration.ofSeconds(10)).until({
            context.getBean(RecordedObservations::class.java).contexts().lastOrNull {
                it.name == "idempotency.call" &&
                    it.getLowCardinalityKeyValue("endpoint")?.value == "RefundReceipts#observationSeen"
            }
        }, { it != null })!!
        assertThat(call.parentObservation?.contextView?.name).isEqualTo("refund.batch")
    }

    @AfterAll
    fun stop() = context.close()

}
