package io.github.idempotency.kotlin

import io.github.idempotency.Idempotent
import io.github.idempotency.testapp.TestApplication
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flowOf
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.springframework.boot.builder.SpringApplicationBuilder
import org.springframework.context.annotation.Configuration
import org.springframework.context.annotation.Import
import org.springframework.stereotype.Service
import org.springframework.web.bind.annotation.PostMapping
import org.springframework.web.bind.annotation.RestController

/**
 * A Kotlin `Flow` is a stream of values: it cannot be stored and replayed, so start-up
 * stops naming the method, for a handler as for a service method.
 */
class KotlinStreamsStartupTests {

    @Test
    fun aHandlerReturningAFlowStopsStartup() {
        assertThatThrownBy { start(FlowHandlers::class.java) }
            .hasStackTraceContaining("FlowController.events()")
            .hasStackTraceContaining("it returns Flow, a stream of values")
    }

    @Test
    fun aServiceMethodReturningAFlowStopsStartup() {
        assertThatThrownBy { start(FlowServices::class.java) }
            .hasStackTraceContaining("FlowService.events(")
            .hasStackTraceContaining("it returns the reactive type Flow")
    }

    private fun start(configuration: Class<*>) = SpringApplicationBuilder(TestApplication::class.java, configuration)
        .properties("server.port=0", "spring.main.banner-mode=off", "idempotency.store=in-memory")
        .run()
        .close()

    @Configuration(proxyBeanMethods = false)
    @Import(FlowController::class)
    class FlowHandlers

    @Configuration(proxyBeanMethods = false)
    @Import(FlowService::class)
    class FlowServices

    @RestController
    class FlowController {

        @PostMapping("/kotlin/events")
        @Idempotent
        fun events(): Flow<String> = flowOf("a", "b")

    }

    @Service
    class FlowService {

        @Idempotent(key = "#id")
        fun events(id: String): Flow<String> = flowOf(id)

    }

}
