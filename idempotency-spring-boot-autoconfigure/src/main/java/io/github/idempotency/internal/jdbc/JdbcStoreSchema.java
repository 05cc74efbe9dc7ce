package io.github.idempotency.internal.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;

import io.github.idempotency.jdbc.JdbcPlatform;
import io.github.idempotency.jdbc.JdbcStoreSql;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Creates the store's table and index from the schema script of a {@link JdbcPlatform},
 * when they do not exist yet ({@code CREATE … IF NOT EXISTS}, so running it again changes
 * nothing).
 */
public final class JdbcStoreSchema {

	private JdbcStoreSchema() {
	}

	/**
	 * The schema script of a platform for a table, as it would run.
	 * @param platform the database
	 * @param table the table, optionally schema-qualified
	 * @return the statements, separated by {@code ;}
	 */
	public static String script(JdbcPlatform platform, String table) {
		JdbcStoreSql.checkTableName(table);
		String name = table.substring(table.lastIndexOf('.') + 1);
		try (InputStream in = new ClassPathResource(platform.schemaLocation(), JdbcStoreSchema.class.getClassLoader())
			.getInputStream()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${table}", table)
				.replace("${name}", name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + platform.schemaLocation(), ex);
		}
	}

	/**
	 * Creates the table and its index unless they exist.
	 * @param dataSource the database
	 * @param platform its platform
	 * @param table the table, optionally schema-qualified
	 */
	public static void create(DataSource dataSource, JdbcPlatform platform, String table) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		for (String statement : withoutComments(script(platform, table)).split(";")) {
			if (!statement.isBlank()) {
				jdbc.execute(statement.strip());
			}
		}
	}

	private static String withoutComments(String script) {
		StringBuilder kept = new StringBuilder(script.length());
		for (String line : script.split("\n")) {
			int comment = line.indexOf("--");
			kept.append((comment >= 0) ? line.substring(0, comment) : line).append('\n');
		}
		return kept.toString();
	}

}
