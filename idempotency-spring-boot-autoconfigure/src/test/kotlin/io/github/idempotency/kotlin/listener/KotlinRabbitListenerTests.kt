package io.github.idempotency.kotlin.listener

import io.github.idempotency.testsupport.RabbitVirtualHost
import org.junit.jupiter.api.AfterAll
import org.springframework.amqp.rabbit.core.RabbitTemplate
import org.springframework.context.ConfigurableApplicationContext

/**
 * A `suspend` `@RabbitListener` on the machine's RabbitMQ, in a virtual host of its own,
 * a prefetch of 1 and two consumers, so two copies go to two consumers.
 */
class KotlinRabbitListenerTests : KotlinListenerContract() {

    private val virtualHost = RabbitVirtualHost.create()

    private val context: ConfigurableApplicationContext = start(
        KotlinRabbitPayments::class.java, "spring.rabbitmq.listener.simple.prefetch=1", *virtualHost.settings().toTypedArray()
    )

    override fun context() = context

    override fun endpoint() = "RabbitPayments#onPayment"

    override fun publish(paymentId: String, consumer: Int) =
        context.getBean(RabbitTemplate::class.java).convertAndSend(KotlinRabbitPayments.QUEUE, paymentId)

    override fun allAcknowledged() = virtualHost.messages(KotlinRabbitPayments.QUEUE) == 0

    @AfterAll
    fun stop() {
        context.close()
        virtualHost.close()
    }

}
