package io.github.idempotency.kotlin

import io.github.idempotency.Idempotent
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout
import io.micrometer.observation.ObservationRegistry
import org.slf4j.MDC
import org.springframework.beans.factory.ObjectProvider
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import org.springframework.context.annotation.Import
import org.springframework.http.HttpStatus
import org.springframework.http.ResponseEntity
import org.springframework.stereotype.Service
import org.springframework.web.bind.annotation.PathVariable
import org.springframework.web.bind.annotation.PostMapping
import org.springframework.web.bind.annotation.RequestBody
import org.springframework.web.bind.annotation.RestController
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger

/**
 * A refunds API written as a Kotlin service writes it: `suspend` handlers and services,
 * data classes, nullable types. The same classes serve the Spring MVC and the WebFlux tests.
 */
@Configuration(proxyBeanMethods = false)
@Import(RefundController::class, RefundReceipts::class)
class KotlinRefunds {

    @Bean
    fun kotlinRuns() = KotlinRuns()

}

@RestController
class RefundController(private val receipts: RefundReceipts, private val runs: KotlinRuns) {

    // tag::handler[]
    @PostMapping("/kotlin/refunds")
    @Idempotent // the key from the Idempotency-Key header
    suspend fun refund(@RequestBody request: RefundRequest): ResponseEntity<Refund> {
        delay(20)
        val number = runs.ran("refunds")
        val refund = Refund("rf_$number", request.paymentId, request.amount)
        return ResponseEntity.status(HttpStatus.CREATED).header("Location", "/kotlin/refunds/${refund.id}").body(refund)
    }
    // end::handler[]

    /** Not idempotent itself, and lets the starter's exceptions escape, as most handlers do. */
    @PostMapping("/kotlin/refunds/{id}/charge")
    suspend fun charge(@PathVariable id: String, @RequestBody request: RefundRequest): String =
        receipts.charge(RefundEvent(id, request.amount))

    /** Not idempotent itself: the service method it calls is. */
    @PostMapping("/kotlin/refunds/{id}/receipt")
    suspend fun receipt(@PathVariable id: String, @RequestBody request: RefundRequest): Receipt =
        receipts.issue(RefundEvent(id, request.amount))

}

@Service
class RefundReceipts(private val runs: KotlinRuns, private val observations: ObjectProvider<ObservationRegistry>) {

    // tag::service[]
    @Idempotent(key = "#event.refundId") // the key from the arguments
    suspend fun issue(event: RefundEvent): Receipt {
        delay(10)
        val number = runs.ran("receipts")
        return Receipt(event.refundId, number, listOf("refund of ${event.amount}", "ünïcødé ✓"), null)
    }
    // end::service[]

    @Idempotent(key = "#event.refundId", fingerprint = "#event.amount")
    suspend fun notify(event: RefundEvent) {
        delay(5)
        runs.ran("notify")
    }

    /** What the caller's coroutine context holds where the function runs. */
    @Idempotent(key = "#event.refundId", scope = "refund-contexts")
    suspend fun contextSeen(event: RefundEvent): String {
        delay(5)
        runs.ran("context")
        return "request=" + MDC.get("request")
    }

    /** The name of the observation current where the function runs. */
    @Idempotent(key = "#event.refundId", scope = "refund-observations")
    suspend fun observationSeen(event: RefundEvent): String {
        delay(5)
        runs.ran("observation")
        return observations.getObject().currentObservation?.context?.name ?: "none"
    }

    private val held = ConcurrentHashMap<String, Held>()

    /** A call that waits, once it has claimed its key, until the test lets it go on. */
    class Held {
        val entered = CompletableDeferred<Unit>()
        val released = CompletableDeferred<Unit>()
    }

    fun hold(refundId: String): Held = held.computeIfAbsent(refundId) { Held() }

    @Idempotent(key = "#event.refundId", fingerprint = "#event.amount", scope = "refund-charges")
    suspend fun charge(event: RefundEvent): String {
        held[event.refundId]?.let { gate ->
            gate.entered.complete(Unit)
            withTimeout(30_000) { gate.released.await() }
        }
        runs.ran("charges")
        return "charged ${event.amount}"
    }

    @Idempotent(key = "#event.refundId", scope = "refund-failures")
    suspend fun failOnce(event: RefundEvent): String {
        if (runs.ran("fail-once") == 1) {
            throw IllegalStateException("the payment provider is down")
        }
        return "refunded ${event.refundId}"
    }

}

/** How often each handler or method really ran. */
class KotlinRuns {

    private val counts = ConcurrentHashMap<String, AtomicInteger>()

    fun ran(name: String): Int = counts.computeIfAbsent(name) { AtomicInteger() }.incrementAndGet()

    fun of(name: String): Int = counts[name]?.get() ?: 0

}

data class RefundRequest(val paymentId: String, val amount: Long)

data class Refund(val id: String, val paymentId: String, val amount: Long)

data class RefundEvent(val refundId: String, val amount: Long)

data class Receipt(val refundId: String, val number: Int, val lines: List<String>, val note: String?)
