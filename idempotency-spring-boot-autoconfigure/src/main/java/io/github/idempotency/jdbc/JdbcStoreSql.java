package io.github.idempotency.jdbc;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The statements of the JDBC store, one per store call in the common case. Built for a
 * {@link JdbcPlatform} by {@link #of}; an application on another database defines a bean
 * of its own with statements of the same shape (the parameters in the order each
 * component documents, the columns of the shipped schema).
 *
 * <p>
 * Every time is the database's clock in epoch milliseconds: {@code expires_at} (when the
 * row may be taken over or deleted) and {@code locked_until} (when the claim's lock ends)
 * are compared with it, never with the JVM's. States: {@code P} claimed, {@code E} took
 * effect (its transaction committed; the response is not stored yet), {@code C}
 * completed.
 *
 * @param claim claims a free or expired key or returns the live record, in one statement,
 * or {@code null} when the database cannot (then {@code insert}, {@code takeOver} and
 * {@code read} do it). Parameters: key, owner, fingerprint end, lock timeout in ms
 * (twice), record, key. Rows: none (a concurrent claim won; read again), one with state
 * {@code N} (claimed) or the live record's {@code state, record, locked_for}
 * (milliseconds the claim's lock still lives)
 * @param insert inserts a claim. Parameters: key, owner, fingerprint end, lock timeout in
 * ms (twice), record. Fails with a duplicate key when a record exists
 * @param takeOver takes over an expired record. Parameters: owner, fingerprint end, lock
 * timeout in ms (twice), record, key. Updates one row or none
 * @param read the live record: {@code state, record, locked_for}. Parameter: key
 * @param complete turns the owner's live claim, taken effect or not, into the finished
 * record: the new first two bytes, the fingerprint kept, the new rest. Parameters: head,
 * tail, ttl in ms, key, owner
 * @param release deletes the owner's live claim unless it took effect. Parameters: key,
 * owner
 * @param markExecuted marks the owner's live claim as taken effect, kept for the ttl,
 * inside the caller's transaction; a completed record stays as it is. Parameters: ttl in
 * ms, key, owner. Updates one row, or none when the claim was lost
 * @param deleteExpired deletes at most a batch of expired records. Parameter: batch size
 * @param probe checks the table answers. Parameter: key (none matches)
 * @param renew extends the lock of the owner's live claim that has not completed: it
 * lives the lock timeout from now (a claim that took effect keeps its expiry).
 * Parameters: lock timeout in ms (twice), key, owner. Updates one row, or none when the
 * claim was lost
 * @param inspect the live record with its remaining lock and time to live, for an
 * operator: {@code state, record, locked_for, expires_in}. Parameter: key
 * @param evict deletes the live record, whatever its state, for an operator. Parameter:
 * key
 */
public record JdbcStoreSql(@Nullable String claim, String insert, String takeOver, String read, String complete,
		String release, String markExecuted, String deleteExpired, String probe, String renew, String inspect,
		String evict) {

	/** The default table name. */
	public static final String DEFAULT_TABLE = "idempotency_records";

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*)?");

	/**
	 * The statements for a platform and table.
	 * @param platform the database
	 * @param table the table, optionally schema-qualified
	 * ({@code billing.idempotency_records})
	 * @return the statements
	 */
	public static JdbcStoreSql of(JdbcPlatform platform, String table) {
		checkTableName(table);
		String now = platform.nowMillis();
		String columns = "(storage_key, state, owner_token, fingerprint_end, locked_until, expires_at, record)";
		String insert = "INSERT INTO " + table + " " + columns + " VALUES (?, 'P', ?, ?, " + now + " + ?, " + now
				+ " + ?, ?)";
		String takeOver = "UPDATE " + table + " SET state = 'P', owner_token = ?, fingerprint_end = ?, locked_until = "
				+ now + " + ?, expires_at = " + now + " + ?, record = ? WHERE storage_key = ? AND expires_at <= " + now;
		String read = "SELECT state, record, locked_until - " + now + " AS locked_for FROM " + table
				+ " WHERE storage_key = ? AND expires_at > " + now;
		String finished = (platform == JdbcPlatform.MYSQL) ? "CONCAT(?, SUBSTRING(record, 3, fingerprint_end - 2), ?)"
				: "? || SUBSTRING(record FROM 3 FOR fingerprint_end - 2) || ?";
		String complete = "UPDATE " + table + " SET record = " + finished + ", state = 'C', locked_until = NULL, "
				+ "expires_at = " + now
				+ " + ? WHERE storage_key = ? AND owner_token = ? AND state <> 'C' AND expires_at > " + now;
		String markExecuted = "UPDATE " + table + " SET expires_at = CASE WHEN state = 'C' THEN expires_at ELSE " + now
				+ " + ? END, state = CASE WHEN state = 'C' THEN 'C' ELSE 'E' END WHERE storage_key = ? AND owner_token = ? "
				+ "AND expires_at > " + now;
		String release = "DELETE FROM " + table + " WHERE storage_key = ? AND owner_token = ? AND state = 'P' "
				+ "AND expires_at > " + now;
		String probe = "SELECT state FROM " + table + " WHERE storage_key = ?";
		String renew = "UPDATE " + table + " SET locked_until = " + now
				+ " + ?, expires_at = CASE WHEN state = 'P' THEN " + now
				+ " + ? ELSE expires_at END WHERE storage_key = ? AND owner_token = ? AND state <> 'C' "
				+ "AND expires_at > " + now;
		String inspect = "SELECT state, record, locked_until - " + now + " AS locked_for, expires_at - " + now
				+ " AS expires_in FROM " + table + " WHERE storage_key = ? AND expires_at > " + now;
		String evict = "DELETE FROM " + table + " WHERE storage_key = ? AND expires_at > " + now;
		String deleteExpired = switch (platform) {
			// The clock is read once, in a subquery, so that the expiry
			// index bounds the scan (a volatile call compared row by row
			// reads every row); the batch is deleted by row address (a
			// generic plan of IN (subquery) scans the whole table).
			case POSTGRESQL -> "DELETE FROM " + table + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + table
					+ " WHERE expires_at <= (SELECT " + now + ") ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)) "
					+ "AND expires_at <= (SELECT " + now + ")";
			case MYSQL -> "DELETE FROM " + table + " WHERE expires_at <= " + now + " ORDER BY expires_at LIMIT ?";
			case H2 -> "DELETE FROM " + table + " WHERE expires_at <= " + now + " FETCH FIRST ? ROWS ONLY";
		};
		String claim = (platform == JdbcPlatform.POSTGRESQL) ? postgresClaim(table, columns, now) : null;
		return new JdbcStoreSql(claim, insert, takeOver, read, complete, release, markExecuted, deleteExpired, probe,
				renew, inspect, evict);
	}

	private static String postgresClaim(String table, String columns, String now) {
		return "WITH claimed AS (INSERT INTO " + table + " AS r " + columns + " VALUES (?, 'P', ?, ?, " + now + " + ?, "
				+ now + " + ?, ?) ON CONFLICT (storage_key) DO UPDATE SET state = 'P', owner_token = "
				+ "EXCLUDED.owner_token, fingerprint_end = EXCLUDED.fingerprint_end, locked_until = EXCLUDED.locked_until, "
				+ "expires_at = EXCLUDED.expires_at, record = EXCLUDED.record " + "WHERE r.expires_at <= " + now
				+ " RETURNING 1) "
				+ "SELECT CAST('N' AS CHAR(1)) AS state, CAST(NULL AS BYTEA) AS record, CAST(0 AS BIGINT) AS locked_for "
				+ "FROM claimed UNION ALL SELECT state, record, locked_until - " + now + " FROM " + table
				+ " WHERE storage_key = ? AND NOT EXISTS (SELECT 1 FROM claimed)";
	}

	/**
	 * Checks a table name before it goes into SQL: letters, digits, {@code _} and
	 * {@code $}, optionally one schema qualifier. Statements of an application's own use
	 * it too.
	 * @param table the name
	 * @return the name
	 * @throws IllegalArgumentException when it is not such a name
	 */
	public static String checkTableName(String table) {
		Assert.isTrue(table != null && TABLE_NAME.matcher(table).matches(), () -> "idempotency.jdbc.table-name '"
				+ table + "' is not a table name: use letters, digits and _, optionally schema.table");
		return table;
	}

}
