package io.github.idempotency.jdbc;

import java.util.Locale;

/**
 * The databases the JDBC store speaks to, each with the SQL it needs: how the database's
 * own clock reads in epoch milliseconds (expiry never uses the JVM's clock, so instances
 * with skewed clocks agree), its binary column type and its schema script.
 */
public enum JdbcPlatform {

	/** PostgreSQL: a claim is one {@code INSERT … ON CONFLICT … RETURNING} statement. */
	POSTGRESQL("PostgreSQL", "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint"),

	/** MySQL 8 and MariaDB 10.6 or newer (InnoDB). */
	MYSQL("MySQL/MariaDB", "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)"),

	/** H2 2.x, for tests and a store inside one process. */
	H2("H2", "DATEDIFF(MILLISECOND, TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00', CURRENT_TIMESTAMP)");

	private final String displayName;

	private final String nowMillis;

	JdbcPlatform(String displayName, String nowMillis) {
		this.displayName = displayName;
		this.nowMillis = nowMillis;
	}

	/**
	 * @return the database's name as people write it
	 */
	public String displayName() {
		return this.displayName;
	}

	/**
	 * @return an SQL expression for the database's current time in epoch milliseconds
	 */
	public String nowMillis() {
		return this.nowMillis;
	}

	/**
	 * @return the class path location of this platform's schema script
	 */
	public String schemaLocation() {
		return "io/github/idempotency/jdbc/schema-" + name().toLowerCase(Locale.ROOT) + ".sql";
	}

	/**
	 * The platform of a database, by the product name its JDBC driver reports.
	 * @param productName {@code DatabaseMetaData#getDatabaseProductName()}
	 * @return the platform
	 * @throws IllegalStateException for a database the store has no SQL for
	 */
	public static JdbcPlatform of(String productName) {
		String name = String.valueOf(productName).toLowerCase(Locale.ROOT);
		if (name.contains("postgres")) {
			return POSTGRESQL;
		}
		if (name.contains("mysql") || name.contains("mariadb")) {
			return MYSQL;
		}
		if (name.equals("h2")) {
			return H2;
		}
		throw new IllegalStateException("The JDBC idempotency store has no SQL for " + productName
				+ ": it supports PostgreSQL, MySQL 8, MariaDB and H2. Set idempotency.jdbc.platform to the one your "
				+ "database is compatible with, or define a JdbcStoreSql bean with your own statements.");
	}

}
