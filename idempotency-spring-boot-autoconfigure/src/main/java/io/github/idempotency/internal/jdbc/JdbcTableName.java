package io.github.idempotency.internal.jdbc;

import java.util.regex.Pattern;

import org.springframework.util.Assert;

/**
 * Checks a table name before it goes into SQL: letters, digits, {@code _} and {@code $},
 * optionally one schema qualifier.
 */
public final class JdbcTableName {

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");

	private JdbcTableName() {
	}

	/**
	 * Checks a table name.
	 * @param table the name
	 * @return the name
	 * @throws IllegalArgumentException when it is not a table name
	 */
	public static String check(String table) {
		Assert.isTrue(table != null && TABLE_NAME.matcher(table).matches(), () -> "idempotency.jdbc.table-name '"
				+ table + "' is not a table name: use letters, digits and _, optionally schema.table");
		return table;
	}

}
