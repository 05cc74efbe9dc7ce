package io.github.idempotency.kotlin.listener

import io.github.idempotency.testsupport.KafkaBroker
import org.apache.kafka.clients.admin.AdminClient
import org.apache.kafka.clients.admin.AdminClientConfig
import org.apache.kafka.clients.producer.ProducerConfig
import org.apache.kafka.common.serialization.StringSerializer
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.AfterAll
import org.springframework.context.ConfigurableApplicationContext
import org.springframework.kafka.config.KafkaListenerEndpointRegistry
import org.springframework.kafka.core.DefaultKafkaProducerFactory
import org.springframework.kafka.core.KafkaTemplate
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer
import java.time.Duration

/**
 * A `suspend` `@KafkaListener` on spring-kafka-test's KRaft broker: a topic of two
 * partitions, one consumer each, the copies sent to one partition each.
 */
class KotlinKafkaListenerTests : KotlinListenerContract() {

    private val broker = KafkaBroker.start(2, KotlinKafkaPayments.TOPIC)

    private val producers = DefaultKafkaProducerFactory<String, String>(
        mapOf(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG to broker.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG to StringSerializer::class.java,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG to StringSerializer::class.java
        )
    )

    private val admin = AdminClient.create(mapOf(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG to broker.bootstrapServers()))

    private var published = 0L

    private val context: ConfigurableApplicationContext = start(
        KotlinKafkaPayments::class.java, "spring.kafka.bootstrap-servers=${broker.bootstrapServers()}",
        "spring.kafka.consumer.auto-offset-reset=earliest"
    ).also { context ->
        val registry = context.getBean(KafkaListenerEndpointRegistry::class.java)
        await().atMost(Duration.ofSeconds(60)).until {
            registry.listenerContainers.filterIsInstance<ConcurrentMessageListenerContainer<*, *>>()
                .flatMap { it.containers }.count { !it.assignedPartitions.isNullOrEmpty() } == 2
        }
    }

    override fun context() = context

    override fun endpoint() = "KafkaPayments#onPayment"

    override fun publish(paymentId: String, consumer: Int) {
        KafkaTemplate(producers).send(KotlinKafkaPayments.TOPIC, consumer, paymentId, paymentId).get()
        published++
    }

    override fun allAcknowledged(): Boolean =
        admin.listConsumerGroupOffsets(KotlinKafkaPayments.GROUP).partitionsToOffsetAndMetadata().get()
            .values.sumOf { it?.offset() ?: 0L } == published

    @AfterAll
    fun stop() {
        context.close()
        admin.close()
        producers.destroy()
        broker.close()
    }

}
