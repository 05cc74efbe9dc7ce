package io.github.idempotency.kotlin.listener

import io.github.idempotency.Idempotent
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.withTimeout
import org.apache.kafka.clients.consumer.Consumer
import org.apache.kafka.clients.consumer.ConsumerRecord
import org.springframework.amqp.core.Queue
import org.springframework.amqp.rabbit.annotation.RabbitListener
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory
import org.springframework.beans.factory.ObjectProvider
import org.springframework.beans.factory.config.BeanPostProcessor
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import org.springframework.context.annotation.Import
import org.springframework.kafka.annotation.KafkaListener
import org.springframework.kafka.listener.RecordInterceptor
import org.springframework.stereotype.Component
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger

/**
 * Payments that arrive as messages, paid by `suspend` listeners written as a Kotlin
 * service writes them. A payment waits at its gate until the test opens it, so a test can
 * deliver the second copy while the first still runs; every delivery, redeliveries
 * included, is counted before the listener.
 */
@Component
class PaymentGates {

    private val deliveries = ConcurrentHashMap<String, AtomicInteger>()

    private val effects = ConcurrentHashMap<String, AtomicInteger>()

    private val gates = ConcurrentHashMap<String, CompletableDeferred<Unit>>()

    suspend fun pay(paymentId: String) {
        withTimeout(30_000) { gate(paymentId).await() }
        count(effects, paymentId)
    }

    fun delivered(paymentId: String) = count(deliveries, paymentId)

    fun started(paymentId: String) = gates.containsKey(paymentId)

    fun open(paymentId: String) = gate(paymentId).complete(Unit)

    fun deliveries(paymentId: String) = deliveries[paymentId]?.get() ?: 0

    fun effects(paymentId: String) = effects[paymentId]?.get() ?: 0

    private fun gate(paymentId: String) = gates.computeIfAbsent(paymentId) { CompletableDeferred() }

    private fun count(counts: ConcurrentHashMap<String, AtomicInteger>, paymentId: String) =
        counts.computeIfAbsent(paymentId) { AtomicInteger() }.incrementAndGet()

}

@Component
class RabbitPayments(private val gates: PaymentGates) {

    @RabbitListener(queues = [KotlinRabbitPayments.QUEUE], concurrency = "2")
    @Idempotent(key = "#paymentId")
    suspend fun onPayment(paymentId: String) = gates.pay(paymentId)

}

@Component
class KafkaPayments(private val gates: PaymentGates) {

    @KafkaListener(topics = [KotlinKafkaPayments.TOPIC], groupId = KotlinKafkaPayments.GROUP, concurrency = "2")
    @Idempotent(key = "#paymentId")
    suspend fun onPayment(paymentId: String) = gates.pay(paymentId)

}

@Configuration(proxyBeanMethods = false)
@Import(PaymentGates::class, RabbitPayments::class)
class KotlinRabbitPayments {

    @Bean
    fun kotlinPaymentsQueue() = Queue(QUEUE, false)

    companion object {

        const val QUEUE = "kotlin-payments"

        /** Spring Boot's container factory, counting every delivery before the listener. */
        @Bean
        @JvmStatic
        fun countingDeliveries(gates: ObjectProvider<PaymentGates>) = object : BeanPostProcessor {
            override fun postProcessAfterInitialization(bean: Any, beanName: String): Any {
                if (bean is SimpleRabbitListenerContainerFactory) {
                    bean.setAfterReceivePostProcessors({ message ->
                        gates.getObject().delivered(String(message.body))
                        message
                    })
                }
                return bean
            }
        }

    }

}

@Configuration(proxyBeanMethods = false)
@Import(PaymentGates::class, KafkaPayments::class)
class KotlinKafkaPayments {

    /** Counts every delivery before the listener; Spring Boot sets it on its container factory. */
    @Bean
    fun countingRecords(gates: PaymentGates) = object : RecordInterceptor<Any, Any> {
        override fun intercept(record: ConsumerRecord<Any, Any>, consumer: Consumer<Any, Any>): ConsumerRecord<Any, Any> {
            gates.delivered(record.value().toString())
            return record
        }
    }

    companion object {

        const val TOPIC = "kotlin-payments"

        const val GROUP = "kotlin-payments"

    }

}
