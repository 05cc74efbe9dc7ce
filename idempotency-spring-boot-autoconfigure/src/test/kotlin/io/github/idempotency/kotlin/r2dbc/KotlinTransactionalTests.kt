package io.github.idempotency.kotlin.r2dbc

import io.github.idempotency.internal.reactive.app.ReactiveTestApplication
import io.github.idempotency.testapp.TestHttp
import io.github.idempotency.testsupport.TestDatabase
import kotlinx.coroutines.runBlocking
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatIllegalStateException
import org.junit.jupiter.api.AfterAll
import org.junit.jupiter.api.Tag
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.TestInstance
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import org.springframework.context.ConfigurableApplicationContext
import java.util.UUID

/**
 * `@Idempotent` and `@Transactional` on the same `suspend` function, on a real R2DBC
 * transaction (PostgreSQL): whichever order the annotations are written in, the
 * idempotency advice runs outside the transaction, so the value is stored only after the
 * transaction committed, and a rollback gives the key back so the retry runs. The same
 * for a `suspend` WebFlux handler, through real HTTP. Tagged `r2dbc`: it runs in the
 * surefire execution of that name, the only one with an R2DBC driver on its class path.
 */
@Tag("r2dbc")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KotlinTransactionalTests {

    private val database = TestDatabase.createPostgres().also { database ->
        database.dataSource().connection.use { it.createStatement().execute("create table ledger (id varchar(80))") }
    }

    private val context: ConfigurableApplicationContext = ReactiveTestApplication.start(
        listOf(KotlinLedger::class.java), "idempotency.key-prefix=kotlin-tx",
        "ledger.jdbc-url=${database.url()}",
        "ledger.r2dbc-url=${database.url().replace("jdbc:postgresql://", "r2dbc:postgresql://postgres@")}"
    )

    private val ledger = context.getBean(Ledger::class.java)

    private val store = context.getBean(RecordingStore::class.java)

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = ["transactionalFirst", "idempotentFirst"])
    fun theValueIsStoredOnlyAfterTheTransactionCommitted(method: String) {
        val id = UUID.randomUUID().toString()
        store.watching = id
        store.committedRowsAtCompletion.clear()

        val first = book(method, id, false)

        assertThat(book(method, id, false)).isEqualTo(first).isEqualTo(1)
        assertThat(runBlocking { ledger.rows(id) }).isEqualTo(1)
        assertThat(store.committedRowsAtCompletion).`as`("rows another connection saw when the value was stored")
            .containsExactly(1L)
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = ["transactionalFirst", "idempotentFirst"])
    fun aRollbackGivesTheKeyBackAndTheRetryRuns(method: String) {
        val id = UUID.randomUUID().toString()

        assertThatIllegalStateException().isThrownBy { book(method, id, true) }.withMessage("rolled back")
        assertThat(runBlocking { ledger.rows(id) }).isZero()

        assertThat(book(method, id, false)).isEqualTo(1)
        assertThat(book(method, id, false)).isEqualTo(1)
        assertThat(runBlocking { ledger.rows(id) }).isEqualTo(1)
    }

    @Test
    fun aTransactionalSuspendHandlerIsStoredAfterItsCommitAndReleasedOnRollback() {
        val http = TestHttp(context.environment.getRequiredProperty("local.server.port", Int::class.java))
        val id = "h_" + UUID.randomUUID()
        val key = UUID.randomUUID().toString()
        val entry = """{"id":"$id","failFirstAttempt":true}"""

        val failed = http.post("/kotlin/ledger", key, entry)
        assertThat(failed.statusCode()).isEqualTo(503)
        assertThat(runBlocking { ledger.rows(id) }).`as`("rows after the rolled-back attempt").isZero()

        store.watching = id
        store.committedRowsAtCompletion.clear()
        val first = http.post("/kotlin/ledger", key, entry)
        val replay = http.post("/kotlin/ledger", key, entry)

        assertThat(first.statusCode()).isEqualTo(201)
        assertThat(TestHttp.body(first)).isEqualTo("""{"id":"$id","rows":1}""")
        assertThat(replay.statusCode()).isEqualTo(201)
        assertThat(replay.body()).isEqualTo(first.body())
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true")
        assertThat(runBlocking { ledger.rows(id) }).isEqualTo(1)
        assertThat(store.committedRowsAtCompletion).containsExactly(1L)
    }

    /** Calls through the proxy, as a caller from another bean does. */
    private fun book(method: String, id: String, fail: Boolean): Long = runBlocking {
        if (method == "transactionalFirst") ledger.transactionalFirst(id, fail) else ledger.idempotentFirst(id, fail)
    }

    @AfterAll
    fun stop() {
        context.close()
        database.close()
    }

}
