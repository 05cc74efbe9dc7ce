package io.github.idempotency.kotlin

import io.github.idempotency.IdempotencyKeyReusedException
import io.github.idempotency.testapp.TestHttp
import io.github.idempotency.testsupport.Burst
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.slf4j.MDCContext
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatExceptionOfType
import org.junit.jupiter.api.Test
import java.net.http.HttpResponse
import java.util.UUID
import java.util.concurrent.Callable
import java.util.concurrent.CompletableFuture

/**
 * What a Kotlin service gets from `@Idempotent` on `suspend` functions, on either web
 * stack: handlers replay byte for byte and run once, service methods return the stored
 * value as its Kotlin type, and the `Continuation` never takes part in a key or fingerprint.
 */
abstract class KotlinSuspendContract {

    abstract fun http(): TestHttp

    abstract fun runs(): KotlinRuns

    abstract fun receipts(): RefundReceipts

    private val refund = """{"paymentId":"pay_1","amount":1250}"""

    @Test
    fun aSuspendHandlerIsReplayedByteForByteAndRunsOnce() {
        val key = newKey()
        val before = runs().of("refunds")
        val first = http().post("/kotlin/refunds", key, refund)
        val replay = http().post("/kotlin/refunds", key, refund)

        assertThat(first.statusCode()).isEqualTo(201)
        assertThat(TestHttp.body(first)).contains("\"paymentId\":\"pay_1\"").contains("\"amount\":1250")
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty
        assertThat(replay.statusCode()).isEqualTo(201)
        assertThat(replay.body()).isEqualTo(first.body())
        assertThat(replay.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"))
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true")
        assertThat(http().post("/kotlin/refunds", key, """{"paymentId":"pay_1","amount":9999}""").statusCode())
            .isEqualTo(422)
        assertThat(http().post("/kotlin/refunds", refund, emptyMap()).statusCode())
            .isEqualTo(400)
        assertThat(runs().of("refunds")).isEqualTo(before + 1)
    }

    @Test
    fun manyRetriesOfASuspendHandlerAtOnceRunItOnce() {
        val key = newKey()
        val before = runs().of("refunds")
        val responses = Burst.send(List(12) { Callable<HttpResponse<ByteArray>> { http().post("/kotlin/refunds", key, refund) } })

        assertThat(responses.map { it.statusCode() }).containsOnly(201, 409).contains(201)
        assertThat(runs().of("refunds")).isEqualTo(before + 1)
    }

    @Test
    fun aSuspendServiceMethodReturnsTheStoredValueAsItsKotlinType() {
        val event = RefundEvent("rf_" + UUID.randomUUID(), 1250)
        val before = runs().of("receipts")
        val first = runBlocking { receipts().issue(event) }
        val second = runBlocking { receipts().issue(event) }
        val third = runBlocking { receipts().issue(event.copy(amount = 1)) }

        assertThat(second).isEqualTo(first)
        assertThat(third).isEqualTo(first)
        assertThat(second.lines).containsExactly("refund of 1250", "ünïcødé ✓")
        assertThat(second.note).isNull()
        assertThat(runs().of("receipts")).isEqualTo(before + 1)
    }

    @Test
    fun aUnitSuspendFunctionRunsOnceAndItsFingerprintSeesOnlyItsOwnArguments() {
        val event = RefundEvent("rf_" + UUID.randomUUID(), 1250)
        val before = runs().of("notify")
        runBlocking { receipts().notify(event) }
        runBlocking { receipts().notify(event) }

        assertThat(runs().of("notify")).isEqualTo(before + 1)
        assertThatExceptionOfType(IdempotencyKeyReusedException::class.java)
            .isThrownBy { runBlocking { receipts().notify(event.copy(amount = 1)) } }
    }

    @Test
    fun theCallersCoroutineContextReachesTheFunctionAcrossTheClaim() {
        val event = RefundEvent("rf_" + UUID.randomUUID(), 1250)
        val seen = runBlocking(MDCContext(mapOf("request" to "req-42"))) { receipts().contextSeen(event) }
        val replayed = runBlocking(MDCContext(mapOf("request" to "req-43"))) { receipts().contextSeen(event) }

        assertThat(seen).isEqualTo("request=req-42")
        assertThat(replayed).isEqualTo("request=req-42")
    }

    @Test
    fun aSuspendFunctionThatThrowsGivesItsKeyBack() {
        val event = RefundEvent("rf_" + UUID.randomUUID(), 1250)
        assertThatExceptionOfType(IllegalStateException::class.java)
            .isThrownBy { runBlocking { receipts().failOnce(event) } }
            .withMessage("the payment provider is down")

        assertThat(runBlocking { receipts().failOnce(event) }).isEqualTo("refunded ${event.refundId}")
        assertThat(runBlocking { receipts().failOnce(event) }).isEqualTo("refunded ${event.refundId}")
    }

    @Test
    fun aSuspendHandlerCallingAnIdempotentSuspendServiceGetsItsStoredValue() {
        val id = "rf_" + UUID.randomUUID()
        val before = runs().of("receipts")
        val first = http().post("/kotlin/refunds/$id/receipt", newKey(), refund)
        val second = http().post("/kotlin/refunds/$id/receipt", newKey(), refund)

        assertThat(first.statusCode()).isEqualTo(200)
        assertThat(TestHttp.body(first)).contains("\"refundId\":\"$id\"").contains("ünïcødé ✓")
        assertThat(second.body()).isEqualTo(first.body())
        assertThat(runs().of("receipts")).isEqualTo(before + 1)
    }

    @Test
    fun theStartersExceptionsEscapingAHandlerAreAnsweredWithItsProblemsNotA500() {
        val id = "rf_" + UUID.randomUUID()
        val first = http().post("/kotlin/refunds/$id/charge", refund, emptyMap())
        val reused = http().post("/kotlin/refunds/$id/charge", """{"paymentId":"pay_1","amount":9999}""", emptyMap())

        assertThat(TestHttp.body(first)).isEqualTo("charged 1250")
        assertThat(reused.statusCode()).isEqualTo(422)
        assertThat(reused.headers().firstValue("Content-Type")).hasValue("application/problem+json")
        assertThat(TestHttp.body(reused)).contains("\"type\":\"https://idempotency.github.io/problems/key-reused\"")

        val held = "rf_" + UUID.randomUUID()
        val gate = receipts().hold(held)
        val running = CompletableFuture.supplyAsync { http().post("/kotlin/refunds/$held/charge", refund, emptyMap()) }
        try {
            runBlocking { withTimeout(30_000) { gate.entered.await() } }
            val inProgress = http().post("/kotlin/refunds/$held/charge", refund, emptyMap())
            assertThat(inProgress.statusCode()).isEqualTo(409)
            assertThat(inProgress.headers().firstValue("Retry-After")).hasValue("1")
            assertThat(TestHttp.body(inProgress)).contains("request-in-progress")
        }
        finally {
            gate.released.complete(Unit)
        }
        assertThat(running.get().statusCode()).isEqualTo(200)
    }

    private fun newKey() = UUID.randomUUID().toString()

}
