package io.github.idempotency.kotlin.r2dbc

import io.github.idempotency.Idempotent
import io.github.idempotency.IdempotencyStore
import io.github.idempotency.StoredResponse
import io.github.idempotency.internal.memory.InMemoryIdempotencyStore
import io.github.idempotency.testsupport.ForwardingStore
import io.r2dbc.spi.ConnectionFactories
import io.r2dbc.spi.ConnectionFactory
import kotlinx.coroutines.reactive.awaitSingle
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import org.springframework.context.annotation.Import
import org.springframework.context.annotation.Primary
import org.springframework.core.env.Environment
import org.springframework.http.HttpStatus
import org.springframework.http.ResponseEntity
import org.springframework.r2dbc.connection.R2dbcTransactionManager
import org.springframework.r2dbc.core.DatabaseClient
import org.springframework.r2dbc.core.await
import org.springframework.r2dbc.core.awaitOne
import org.springframework.stereotype.Service
import org.springframework.transaction.annotation.EnableTransactionManagement
import org.springframework.transaction.annotation.Transactional
import org.springframework.transaction.reactive.TransactionSynchronizationManager
import org.springframework.web.bind.annotation.PostMapping
import org.springframework.web.bind.annotation.RequestBody
import org.springframework.web.bind.annotation.RestController
import org.springframework.web.server.ResponseStatusException
import java.sql.DriverManager
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/**
 * A ledger written as a Kotlin service on R2DBC writes it: `suspend` functions that are
 * `@Idempotent` and `@Transactional` at once (the annotations in both orders), and a
 * `suspend` handler that is both.
 */
@Configuration(proxyBeanMethods = false)
@EnableTransactionManagement
@Import(Ledger::class, LedgerController::class)
class KotlinLedger {

    @Bean
    fun connectionFactory(environment: Environment): ConnectionFactory =
        ConnectionFactories.get(environment.getRequiredProperty("ledger.r2dbc-url"))

    @Bean
    @Primary
    fun reactiveTransactionManager(connectionFactory: ConnectionFactory) = R2dbcTransactionManager(connectionFactory)

    @Bean
    fun databaseClient(connectionFactory: ConnectionFactory) = DatabaseClient.create(connectionFactory)

    @Bean
    fun recordingStore(environment: Environment) = RecordingStore(environment.getRequiredProperty("ledger.jdbc-url"))

}

@Service
class Ledger(private val db: DatabaseClient) {

    @Transactional
    @Idempotent(key = "#id")
    suspend fun transactionalFirst(id: String, fail: Boolean): Long = insert(id, fail)

    @Idempotent(key = "#id")
    @Transactional
    suspend fun idempotentFirst(id: String, fail: Boolean): Long = insert(id, fail)

    suspend fun insert(id: String, fail: Boolean): Long {
        check(TransactionSynchronizationManager.forCurrentTransaction().awaitSingle().isActualTransactionActive) {
            "no transaction around the call"
        }
        db.sql("insert into ledger (id) values (:id)").bind("id", id).await()
        if (fail) {
            throw IllegalStateException("rolled back")
        }
        return rows(id)
    }

    suspend fun rows(id: String): Long =
        db.sql("select count(*) from ledger where id = :id").bind("id", id)
            .map { row -> row.get(0, java.lang.Long::class.java)!!.toLong() }.awaitOne()

}

@RestController
class LedgerController(private val ledger: Ledger) {

    private val attempts = ConcurrentHashMap<String, AtomicInteger>()

    @PostMapping("/kotlin/ledger")
    @Idempotent
    @Transactional
    suspend fun book(@RequestBody entry: LedgerEntry): ResponseEntity<Booked> {
        val rows = ledger.insert(entry.id, false)
        if (entry.failFirstAttempt && attempts.computeIfAbsent(entry.id) { AtomicInteger() }.incrementAndGet() == 1) {
            throw ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "the ledger is busy")
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(Booked(entry.id, rows))
    }

}

data class LedgerEntry(val id: String, val failFirstAttempt: Boolean = false)

data class Booked(val id: String, val rows: Long)

/**
 * The in-memory store, noting at each stored value how many of the watched call's rows
 * another connection saw, that is how many had been committed.
 */
class RecordingStore(private val jdbcUrl: String) : ForwardingStore {

    private val store = InMemoryIdempotencyStore()

    val committedRowsAtCompletion = CopyOnWriteArrayList<Long>()

    @Volatile
    var watching = ""

    override fun delegate(): IdempotencyStore = store

    override fun complete(key: String, owner: String, response: StoredResponse, ttl: Duration): Boolean {
        committedRowsAtCompletion.add(committedRows(watching))
        return store.complete(key, owner, response, ttl)
    }

    private fun committedRows(id: String): Long = DriverManager.getConnection(jdbcUrl, "postgres", "").use { connection ->
        connection.prepareStatement("select count(*) from ledger where id = ?").use { statement ->
            statement.setString(1, id)
            statement.executeQuery().use { rows -> rows.next(); rows.getLong(1) }
        }
    }

}
