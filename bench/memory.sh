#!/usr/bin/env bash
# Memory per idempotency record, measured through the real sample app:
#   Redis: N records of POST /payments (the sample's response) and N of POST /payment-batches
#   (58 payments, a ~4 KB JSON response) into a redis-server of its own; bytes per record from
#   the growth of INFO memory's used_memory, MEMORY USAGE of one record, records per GiB and
#   the sustained rate of new keys one GiB holds at the default 24 h TTL.
#   In-memory store: the same N records; bytes per record from the live heap after a full GC
#   (jcmd GC.class_histogram), minus what the same requests leave behind with idempotency
#   disabled (the sample keeps every payment it created).
#   JDBC store on PostgreSQL: the same N records into a database of its own (the machine's
#   PostgreSQL on 127.0.0.1:5432, user postgres; BENCH_JDBC=no leaves it out); table, TOAST
#   and index bytes per record after VACUUM, and the average record column.
# Prints a table and writes it to bench/results/memory.txt.
#
# Knobs (environment):
#   BENCH_RECORDS=10000    records per measurement
#   BENCH_HEAP=1g          heap of each application JVM
#   BENCH_JAR=path         run this sample-app jar instead of building the tree
set -euo pipefail

RECORDS=${BENCH_RECORDS:-10000}
BENCH_HEAP=${BENCH_HEAP:-1g}
NEEDS_WRK=no
. "$(dirname "$0")/common.sh"

PAYMENT='{"amount":1000,"currency":"EUR"}'
BATCH="{\"amounts\":[$(seq -s, 1000 137 8809)],\"currency\":\"EUR\"}"
GIB=1073741824

used_memory() { redis-cli -p "$REDIS_PORT" info memory | awk -F: '/^used_memory:/ {print $2+0}'; }

live_heap() { # live_heap <pid>: bytes of live objects after a full GC
  jcmd "$1" GC.class_histogram | awk '/^Total/ {print $3}'
}

write() { # write <port> <path> <body> <key prefix>: prints the response size
  python3 "$BENCH/write-records.py" "$1" "$2" "$3" "$RECORDS" "$4"
}

has_batches() { # whether this build of the sample app has POST /payment-batches
  [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/payment-batches" \
    -H 'Content-Type: application/json' -d '{}')" != 404 ]
}

redis_row() { # redis_row <label> <path> <body>: writes through the app on APP_PORT, key prefix $PREFIX
  local before after size one
  before=$(used_memory)
  size=$(write "$APP_PORT" "$2" "$3" "$1")
  after=$(used_memory)
  one=$(redis-cli -p "$REDIS_PORT" --scan --pattern "$PREFIX:*" | awk 'NR == 1')
  one=$(redis-cli -p "$REDIS_PORT" memory usage "$one" samples 0)
  local per=$(( (after - before) / RECORDS ))
  printf '%-18s %8s %10s %13s %12s %16s\n' "$1" "$size" "$per" "$one" "$((GIB / per))" "$((GIB / per / 86400))" \
    >> "$WORK/redis.txt"
}

jdbc_row() { # jdbc_row <label> <path> <body>: writes through the JDBC app on APP_PORT, table $1
  write "$APP_PORT" "$2" "$3" "$1" > /dev/null
  bench_sql "VACUUM ANALYZE $TABLE" >/dev/null
  bench_sql "
    SELECT COUNT(*), pg_relation_size('$TABLE') / COUNT(*),
           (pg_total_relation_size('$TABLE') - pg_relation_size('$TABLE') - pg_indexes_size('$TABLE')) / COUNT(*),
           pg_indexes_size('$TABLE') / COUNT(*), pg_total_relation_size('$TABLE') / COUNT(*),
           AVG(octet_length(record))::int FROM $TABLE" -F ' ' \
    | { read -r rows heap toast index total record
        printf '%-18s %8s %10s %10s %10s %10s %10s %12s\n' "$1" "$rows" "$heap" "$toast" "$index" "$total" "$record" \
          "$((GIB / total))" >> "$WORK/jdbc.txt"; }
}

heap_row() { # heap_row <label> <path> <body>: live heap growth per request, with the store and disabled
  local grown=() port
  for port in "$PORT_STORE" "$PORT_DISABLED"; do
    local before after
    before=$(live_heap "${PID_OF[$port]}")
    write "$port" "$2" "$3" "$1" > /dev/null
    after=$(live_heap "${PID_OF[$port]}")
    grown+=($(( (after - before) / RECORDS )))
  done
  local per=$(( grown[0] - grown[1] ))
  printf '%-18s %13s %16s %10s %12s\n' "$1" "${grown[0]}" "${grown[1]}" "$per" "$((GIB / (per > 0 ? per : 1)))" \
    >> "$WORK/heap.txt"
}

install_missing
build_sample_app
start_redis
printf '%-18s %8s %10s %13s %12s %16s\n' "Redis" "body B" "B/record" "MEMORY USAGE" "records/GiB" \
  "new keys/s @24h" > "$WORK/redis.txt"
printf '%-18s %13s %16s %10s %12s\n' "in-memory store" "heap B/req" "disabled B/req" "B/record" "records/GiB" \
  > "$WORK/heap.txt"

echo "Writing $RECORDS records of each response into Redis"
PREFIX=memp; start_app redis --idempotency.store=redis --idempotency.store-timeout=10s --idempotency.key-prefix=$PREFIX
redis_row payment /payments "$PAYMENT"
if has_batches "$APP_PORT"; then
  PREFIX=memb; start_app redis-batches --idempotency.store=redis --idempotency.store-timeout=10s --idempotency.key-prefix=$PREFIX
  redis_row 4KB-json-batch /payment-batches "$BATCH"
fi

echo "Writing $RECORDS records of each response into the in-memory store"
declare -A PID_OF
start_app in-memory --idempotency.store=in-memory --idempotency.in-memory.max-entries=1000000
PORT_STORE=$APP_PORT; PID_OF[$APP_PORT]=${PIDS[-1]}
start_app disabled --idempotency.enabled=false
PORT_DISABLED=$APP_PORT; PID_OF[$APP_PORT]=${PIDS[-1]}
heap_row payment /payments "$PAYMENT"
if has_batches "$PORT_STORE"; then heap_row 4KB-json-batch /payment-batches "$BATCH"; fi

if [ "${BENCH_JDBC:-yes}" != no ]; then
  echo "Writing $RECORDS records of each response into PostgreSQL"
  start_postgres_database
  printf '%-18s %8s %10s %10s %10s %10s %10s %12s\n' "JDBC (PostgreSQL)" "rows" "heap B/r" "TOAST B/r" "index B/r" \
    "total B/r" "record B" "records/GiB" > "$WORK/jdbc.txt"
  TABLE=memp; start_app jdbc "${JDBC_ARGS[@]}" --idempotency.jdbc.table-name=$TABLE --idempotency.store-timeout=10s
  jdbc_row payment /payments "$PAYMENT"
  if has_batches "$APP_PORT"; then
    TABLE=memb; start_app jdbc-batches "${JDBC_ARGS[@]}" --idempotency.jdbc.table-name=$TABLE --idempotency.store-timeout=10s
    jdbc_row 4KB-json-batch /payment-batches "$BATCH"
  fi
fi

mkdir -p "$BENCH/results"
{
  echo "$RECORDS records per row; Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2);" \
    "$(java -version 2>&1 | head -1)"
  echo
  cat "$WORK/redis.txt"
  echo
  cat "$WORK/heap.txt"
  if [ -f "$WORK/jdbc.txt" ]; then echo; cat "$WORK/jdbc.txt"; fi
} | tee "$BENCH/results/memory.txt"
