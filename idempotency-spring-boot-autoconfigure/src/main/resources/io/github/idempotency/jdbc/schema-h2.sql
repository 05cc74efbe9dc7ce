-- The JDBC idempotency store's table on H2 2.x. ${table} is idempotency.jdbc.table-name
-- (default idempotency_records), ${name} its last part.
CREATE TABLE IF NOT EXISTS ${table} (
    storage_key     VARCHAR(255)   NOT NULL,
    state           CHAR(1)        NOT NULL,
    owner_token     VARCHAR(128)   NOT NULL,
    fingerprint_end INTEGER        NOT NULL,
    locked_until    BIGINT,
    expires_at      BIGINT         NOT NULL,
    record          BINARY VARYING NOT NULL,
    CONSTRAINT ${name}_pk PRIMARY KEY (storage_key)
);
CREATE INDEX IF NOT EXISTS ${name}_expires_at ON ${table} (expires_at);
