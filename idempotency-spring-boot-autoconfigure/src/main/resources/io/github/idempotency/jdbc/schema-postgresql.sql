-- The JDBC idempotency store's table on PostgreSQL. ${table} is idempotency.jdbc.table-name
-- (default idempotency_records), ${name} its last part. Copy into a Flyway or Liquibase migration.
CREATE TABLE IF NOT EXISTS ${table} (
    storage_key     VARCHAR(255) NOT NULL,  -- prefix and a hash of scope and key
    state           CHAR(1)      NOT NULL,  -- P claimed, E took effect, C completed
    owner_token     VARCHAR(128) NOT NULL,  -- the claiming call's token
    fingerprint_end INTEGER      NOT NULL,  -- where the fingerprint ends in record
    locked_until    BIGINT,                 -- end of the claim's lock; NULL once completed
    expires_at      BIGINT       NOT NULL,  -- epoch milliseconds on the database's clock
    record          BYTEA        NOT NULL,  -- the record: fingerprint, then owner or response
    CONSTRAINT ${name}_pk PRIMARY KEY (storage_key)
);
CREATE INDEX IF NOT EXISTS ${name}_expires_at ON ${table} (expires_at);
