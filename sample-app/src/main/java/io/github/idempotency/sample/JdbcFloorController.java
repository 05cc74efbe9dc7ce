package io.github.idempotency.sample;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.validation.Valid;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark's Spring MVC floor on PostgreSQL, only with
 * {@code sample.floor.enabled=true} and {@code sample.floor.store=jdbc} (and
 * {@code spring.datasource.url}): {@code POST /floor/payments} made idempotent by hand
 * with the fewest statements fencing needs, on the application's pool — one statement
 * claims a free or expired key or returns the live record (a replay is that one
 * statement), one owner-checked {@code UPDATE} completes the claim, each in a transaction
 * of its own. The record is {@link FloorRecords}'s, in a table of its own
 * ({@code floor_records}, created at start-up). Not for production: no release on
 * failure, no clean-up, no timeout.
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnExpression("${sample.floor.enabled:false} and '${sample.floor.store:redis}' == 'jdbc'")
class JdbcFloorController {

	private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS floor_records (storage_key TEXT PRIMARY KEY, "
			+ "record TEXT NOT NULL, expires_at TIMESTAMPTZ NOT NULL)";

	/**
	 * Claims (one row, {@code NULL}) or returns the live record (one row); no row when a
	 * concurrent claim of the key committed while this one waited: it is in flight.
	 */
	private static final String CLAIM = "WITH claimed AS (INSERT INTO floor_records AS r VALUES (?, ?, "
			+ "clock_timestamp() + make_interval(secs => ?)) ON CONFLICT (storage_key) DO UPDATE SET "
			+ "record = EXCLUDED.record, expires_at = EXCLUDED.expires_at WHERE r.expires_at <= clock_timestamp() "
			+ "RETURNING 1) SELECT NULL FROM claimed UNION ALL SELECT record FROM floor_records "
			+ "WHERE storage_key = ? AND NOT EXISTS (SELECT 1 FROM claimed)";

	private static final String COMPLETE = "UPDATE floor_records SET record = ?, expires_at = clock_timestamp() + "
			+ "make_interval(secs => ?) WHERE storage_key = ? AND record = ?";

	private final PaymentService payments;

	private final DataSource dataSource;

	JdbcFloorController(PaymentService payments, DataSource dataSource) throws SQLException {
		this.payments = payments;
		this.dataSource = dataSource;
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(SCHEMA);
		}
	}

	@PostMapping("/floor/payments")
	ResponseEntity<Payment> create(@RequestHeader(name = "Idempotency-Key", required = false) String key,
			@Valid @RequestBody PaymentRequest request) throws SQLException {
		if (key == null) {
			return FloorRecords.noKey();
		}
		String storageKey = FloorRecords.storageKey(key);
		String fingerprint = FloorRecords.fingerprint(request);
		String claim = FloorRecords.claim(fingerprint);
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(CLAIM)) {
			statement.setString(1, storageKey);
			statement.setString(2, claim);
			statement.setDouble(3, FloorRecords.LOCK_MILLIS / 1000.0);
			statement.setString(4, storageKey);
			try (ResultSet rows = statement.executeQuery()) {
				if (!rows.next()) {
					return FloorRecords.inFlight();
				}
				String existing = rows.getString(1);
				if (existing != null) {
					return FloorRecords.answer(existing, fingerprint);
				}
			}
		}
		Payment payment = this.payments.create(request);
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement(COMPLETE)) {
			statement.setString(1, FloorRecords.finished(fingerprint, payment));
			statement.setDouble(2, FloorRecords.TTL_MILLIS / 1000.0);
			statement.setString(3, storageKey);
			statement.setString(4, claim);
			statement.executeUpdate();
		}
		return FloorRecords.created(payment, false);
	}

}
