package io.github.idempotency.kotlin

import io.github.idempotency.Idempotent
import io.github.idempotency.testapp.TestApplication
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.springframework.boot.builder.SpringApplicationBuilder
import org.springframework.context.annotation.Configuration
import org.springframework.context.annotation.Import
import org.springframework.stereotype.Service
import org.springframework.transaction.annotation.Transactional
import org.springframework.web.bind.annotation.PostMapping
import org.springframework.web.bind.annotation.RestController

/**
 * Spring's transaction advice calls a `suspend` function directly, skipping any advice
 * ordered after it: a `suspend` function that is `@Idempotent` and `@Transactional` with
 * the transaction advice outside would run without idempotency, so start-up stops and
 * says how to order them. The default order is right.
 */
class KotlinTransactionOrderStartupTests {

    @Test
    fun aServiceFunctionWhoseTransactionAdviceRunsFirstStopsStartup() {
        assertThatThrownBy { start(TransactionalServices::class.java, "idempotency.aspect-order=2147483647") }
            .hasStackTraceContaining("\$TransactionalService.pay() of bean")
            .hasStackTraceContaining("the transaction advice (order 2147483647) would run before the idempotency advice")
            .hasStackTraceContaining("Give idempotency.aspect-order a value below 2147483647")
    }

    @Test
    fun aHandlerWhoseTransactionAdviceRunsFirstStopsStartup() {
        assertThatThrownBy { start(TransactionalHandlers::class.java, "idempotency.aspect-order=2147483647") }
            .hasStackTraceContaining("\$TransactionalController.pay() of bean")
    }

    @Test
    fun anIdempotencyAdviceOrderedBeforeTheTransactionStarts() {
        assertThat(start(TransactionalBoth::class.java, "idempotency.aspect-order=100")).isTrue()
    }

    private fun start(configuration: Class<*>, vararg properties: String): Boolean {
        SpringApplicationBuilder(TestApplication::class.java, configuration)
            .properties("server.port=0", "spring.main.banner-mode=off", "idempotency.store=in-memory", *properties)
            .run()
            .use { return it.isActive }
    }

    @Configuration(proxyBeanMethods = false)
    @Import(TransactionalService::class)
    class TransactionalServices

    @Configuration(proxyBeanMethods = false)
    @Import(TransactionalController::class)
    class TransactionalHandlers

    @Configuration(proxyBeanMethods = false)
    @Import(TransactionalService::class, TransactionalController::class)
    class TransactionalBoth

    @Service
    class TransactionalService {

        @Idempotent(key = "#id")
        @Transactional
        suspend fun pay(id: String): String = id

    }

    @RestController
    class TransactionalController {

        @PostMapping("/kotlin/transactional-payments")
        @Idempotent
        @Transactional
        suspend fun pay(): String = "paid"

    }

}
