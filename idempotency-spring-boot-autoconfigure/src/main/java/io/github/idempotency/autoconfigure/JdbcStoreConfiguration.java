package io.github.idempotency.autoconfigure;

import java.sql.DatabaseMetaData;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;

import io.github.idempotency.IdempotencyStore;
import io.github.idempotency.ResponseEncryptionKeys;
import io.github.idempotency.internal.jdbc.JdbcIdempotencyStore;
import io.github.idempotency.internal.jdbc.JdbcRecordCleanup;
import io.github.idempotency.internal.jdbc.JdbcStoreConnection;
import io.github.idempotency.internal.jdbc.JdbcStoreSchema;
import io.github.idempotency.internal.jdbc.JdbcTransactionListener;
import io.github.idempotency.internal.store.StoreConnection;
import io.github.idempotency.jdbc.JdbcPlatform;
import io.github.idempotency.jdbc.JdbcStoreSql;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.util.function.SingletonSupplier;

/**
 * The JDBC store on the application's single {@link DataSource}, only when
 * {@code idempotency.store=jdbc}: the platform is detected from the database at start-up
 * unless {@code idempotency.jdbc.platform} names it, the table is created per
 * {@code idempotency.jdbc.initialize-schema}, expired records are deleted in the
 * background, and every transaction manager tells the store when a transaction begins, so
 * a call's claim is marked executed in the transaction that commits its changes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(JdbcTemplate.class)
@ConditionalOnProperty(prefix = "idempotency", name = "store", havingValue = "jdbc")
@ConditionalOnSingleCandidate(DataSource.class)
class JdbcStoreConfiguration {

	private static final Set<String> EMBEDDED_PRODUCTS = Set.of("h2", "hsql database engine", "apache derby");

	@Bean
	@ConditionalOnMissingBean(IdempotencyStore.class)
	JdbcIdempotencyStore idempotencyStore(DataSource dataSource, IdempotencyProperties properties,
			ObjectProvider<ResponseEncryptionKeys> encryptionKeys) {
		IdempotencyProperties.Jdbc jdbc = properties.getJdbc();
		String table = jdbc.getTableName();
		Database database = (jdbc.getPlatform() != null) ? Database.named(jdbc.getPlatform()) : detect(dataSource);
		if (jdbc.getInitializeSchema() == IdempotencyProperties.SchemaInitialization.ALWAYS
				|| (jdbc.getInitializeSchema() == IdempotencyProperties.SchemaInitialization.EMBEDDED
						&& database.embedded())) {
			JdbcStoreSchema.create(dataSource, database.platform(), table);
		}
		return new JdbcIdempotencyStore(dataSource, JdbcStoreSql.of(database.platform(), table),
				IdempotencyConfigurations.recordCodec(properties, encryptionKeys), properties.getStoreTimeout(),
				database.description() + ", table " + table);
	}

	@Bean
	static TransactionListenerRegistrar idempotencyJdbcTransactionListener(ObjectProvider<JdbcIdempotencyStore> store) {
		return new TransactionListenerRegistrar(
				new JdbcTransactionListener(SingletonSupplier.of(store::getIfAvailable)));
	}

	@Bean
	@ConditionalOnBean(JdbcIdempotencyStore.class)
	@ConditionalOnMissingBean
	JdbcRecordCleanup idempotencyJdbcCleanup(JdbcIdempotencyStore store, IdempotencyProperties properties) {
		return new JdbcRecordCleanup(store, properties.getJdbc().getCleanupInterval(),
				properties.getJdbc().getCleanupBatchSize());
	}

	@Bean
	@ConditionalOnBean(JdbcIdempotencyStore.class)
	@ConditionalOnMissingBean(StoreConnection.class)
	JdbcStoreConnection idempotencyJdbcStoreConnection(JdbcIdempotencyStore store) {
		return new JdbcStoreConnection(store);
	}

	private static Database detect(DataSource dataSource) {
		try {
			return JdbcUtils.extractDatabaseMetaData(dataSource, (DatabaseMetaData metaData) -> {
				String product = metaData.getDatabaseProductName();
				return new Database(JdbcPlatform.of(product), product + " " + metaData.getDatabaseProductVersion(),
						EMBEDDED_PRODUCTS.contains(String.valueOf(product).toLowerCase(Locale.ROOT)));
			});
		}
		catch (MetaDataAccessException ex) {
			throw new IllegalStateException("idempotency.store=jdbc could not reach the database to learn which it is ("
					+ ex.getMostSpecificCause().getMessage() + "). Start the database, fix spring.datasource.*, or set "
					+ "idempotency.jdbc.platform (postgresql, mysql or h2) to start without it.", ex);
		}
	}

	/**
	 * The database the store runs on.
	 *
	 * @param platform its SQL dialect
	 * @param description product and version, for the start-up line
	 * @param embedded whether it runs inside this JVM
	 */
	record Database(JdbcPlatform platform, String description, boolean embedded) {

		static Database named(JdbcPlatform platform) {
			return new Database(platform, platform.displayName() + " (idempotency.jdbc.platform)",
					platform == JdbcPlatform.H2);
		}

	}

}
