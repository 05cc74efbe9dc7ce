package io.github.idempotency.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.awaitility.Awaitility;

/**
 * A database of its own for a test class, on the machine's PostgreSQL (127.0.0.1:5432,
 * user {@code postgres}, trust authentication) or MariaDB (127.0.0.1:3306, user
 * {@code root} without a password), or an H2 database in memory; created on
 * {@link #create} and dropped on {@link #close()}. Without the server the test fails with
 * a message that says how to get one. {@code IDEMPOTENCY_TEST_POSTGRES_URL} and
 * {@code IDEMPOTENCY_TEST_MARIADB_URL} (a JDBC URL of the server, without a database)
 * point the tests elsewhere.
 */
public final class TestDatabase implements AutoCloseable {

	/** The servers the tests run on. */
	public enum Kind {

		/** PostgreSQL on 127.0.0.1:5432. */
		POSTGRESQL("IDEMPOTENCY_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/", "postgres", "postgres",
				"pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"),

		/** MariaDB on 127.0.0.1:3306. */
		MARIADB("IDEMPOTENCY_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/", "", "root",
				"start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"),

		/** H2 in memory. */
		H2(null, "jdbc:h2:mem:", null, "sa", null);

		private final String variable;

		private final String defaultUrl;

		private final String adminDatabase;

		private final String user;

		private final String start;

		Kind(String variable, String defaultUrl, String adminDatabase, String user, String start) {
			this.variable = variable;
			this.defaultUrl = defaultUrl;
			this.adminDatabase = adminDatabase;
			this.user = user;
			this.start = start;
		}

		String serverUrl() {
			String configured = (this.variable != null) ? System.getenv(this.variable) : null;
			String url = (configured != null && !configured.isBlank()) ? configured : this.defaultUrl;
			return url.endsWith("/") ? url : url + "/";
		}

	}

	private final Kind kind;

	private final String name;

	private final HikariDataSource dataSource;

	private TestDatabase(Kind kind, String name, HikariDataSource dataSource) {
		this.kind = kind;
		this.name = name;
		this.dataSource = dataSource;
	}

	/**
	 * Creates a database with a unique name on the machine's PostgreSQL.
	 * @return the database
	 */
	public static TestDatabase createPostgres() {
		return create(Kind.POSTGRESQL);
	}

	/**
	 * Creates a database with a unique name and a small connection pool on it.
	 * @param kind the server
	 * @return the database
	 */
	public static TestDatabase create(Kind kind) {
		String name = "idempotency_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		if (kind != Kind.H2) {
			admin(kind, "CREATE DATABASE " + name);
		}
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url(kind, name));
		dataSource.setUsername(kind.user);
		dataSource.setMaximumPoolSize(20);
		dataSource.setConnectionTimeout(5_000);
		return new TestDatabase(kind, name, dataSource);
	}

	/**
	 * The JDBC URL of a database on a server.
	 * @param kind the server
	 * @param name the database
	 * @return its URL
	 */
	static String url(Kind kind, String name) {
		return (kind == Kind.H2) ? kind.serverUrl().replaceAll("/$", "") + name + ";DB_CLOSE_DELAY=-1"
				: kind.serverUrl() + name;
	}

	/**
	 * @return a pool of connections to the database
	 */
	public DataSource dataSource() {
		return this.dataSource;
	}

	/**
	 * @return the database's JDBC URL
	 */
	public String url() {
		return url(this.kind, this.name);
	}

	/**
	 * @return the {@code spring.datasource.*} settings of an application on this database
	 */
	public List<String> settings() {
		return List.of("spring.datasource.url=" + url(), "spring.datasource.username=" + this.kind.user,
				"spring.datasource.password=");
	}

	/**
	 * Makes the database unreachable, as an outage does: PostgreSQL refuses new
	 * connections to it and ends the open ones. {@link #allowConnections()} ends the
	 * outage.
	 */
	public void refuseConnections() {
		requirePostgres();
		admin(this.kind, "ALTER DATABASE " + this.name + " WITH ALLOW_CONNECTIONS false");
		admin(this.kind, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + this.name + "'");
		// a backend ends when it has handled the signal; until then a pooled connection
		// still passes validation and fails on its next statement
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> backends() == 0);
		// this class's own pool lost its connections too: never hand them out again
		this.dataSource.getHikariPoolMXBean().softEvictConnections();
	}

	private long backends() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.kind.serverUrl() + this.kind.adminDatabase,
				this.kind.user, "");
				Statement statement = connection.createStatement();
				java.sql.ResultSet rows = statement.executeQuery(
						"SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = '"
								+ this.name + "'")) {
			rows.next();
			return rows.getLong(1);
		}
	}

	/** Ends an outage begun by {@link #refuseConnections()}. */
	public void allowConnections() {
		requirePostgres();
		admin(this.kind, "ALTER DATABASE " + this.name + " WITH ALLOW_CONNECTIONS true");
	}

	private void requirePostgres() {
		if (this.kind != Kind.POSTGRESQL) {
			throw new UnsupportedOperationException("Outages are simulated on PostgreSQL only");
		}
	}

	@Override
	public void close() {
		this.dataSource.close();
		if (this.kind == Kind.POSTGRESQL) {
			admin(this.kind, "DROP DATABASE IF EXISTS " + this.name + " WITH (FORCE)");
		}
		else if (this.kind == Kind.MARIADB) {
			admin(this.kind, "DROP DATABASE IF EXISTS " + this.name);
		}
	}

	private static void admin(Kind kind, String sql) {
		try (Connection connection = DriverManager.getConnection(kind.serverUrl() + kind.adminDatabase, kind.user, "");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run '" + sql + "' on " + kind.serverUrl() + " as " + kind.user
					+ " (" + ex.getMessage() + "). The JDBC store tests need " + kind + " there: install it from the "
					+ "distribution's packages and start it (" + kind.start + "; .ci/run does both), or set "
					+ kind.variable + " to a server's JDBC URL.", ex);
		}
	}

}
