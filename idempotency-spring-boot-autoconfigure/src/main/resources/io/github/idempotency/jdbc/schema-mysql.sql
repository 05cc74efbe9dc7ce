-- The JDBC idempotency store's table on MySQL 8 and MariaDB. ${table} is
-- idempotency.jdbc.table-name (default idempotency_records), ${name} its last part. Keys and
-- owner tokens compare byte for byte (utf8mb4_bin). Copy into a Flyway or Liquibase migration.
CREATE TABLE IF NOT EXISTS ${table} (
    storage_key     VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    state           CHAR(1)      NOT NULL,
    owner_token     VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
    fingerprint_end INT          NOT NULL,
    locked_until    BIGINT,
    expires_at      BIGINT       NOT NULL,
    record          LONGBLOB     NOT NULL,
    PRIMARY KEY (storage_key),
    INDEX ${name}_expires_at (expires_at)
) ENGINE = InnoDB;
