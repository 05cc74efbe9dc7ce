# Shared by run.sh and memory.sh: a redis-server and application JVMs of their own, on free
# ports, stopped on exit. BENCH_JAR runs a given sample-app jar instead of building this tree
# (to compare two builds side by side); BENCH_HEAP sets the heap of each application JVM.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
CURVES=$BENCH/curves
HEAP=${BENCH_HEAP:-512m}
WORK=$(mktemp -d /tmp/idempotency-bench.XXXXXX)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "${BENCH_DB:-}" ]; then psql_admin -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=()
  [ "${NEEDS_WRK:-yes}" = no ] || command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  [ "${NEEDS_GNUPLOT:-no}" = no ] || command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_until() { # wait_until <seconds> <command…>: poll until the command succeeds
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then echo "Timed out waiting for: $*" >&2; return 1; fi
    sleep 0.2
  done
}

start_redis() {
  REDIS_PORT=$(free_port)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
    --logfile "$WORK/redis.log" &
  PIDS+=($!)
  wait_until 30 redis-cli -p "$REDIS_PORT" ping
}

psql_admin() { psql -h 127.0.0.1 -p "${BENCH_PG_PORT:-5432}" -U postgres -d postgres -qAt "$@"; }

start_postgres_database() { # a database of its own on the machine's PostgreSQL; sets BENCH_DB, JDBC_DATASOURCE_ARGS and JDBC_ARGS
  command -v psql >/dev/null 2>&1 || { as_root apt-get update -qq; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client; }
  BENCH_DB=idempotency_bench_$RANDOM$RANDOM
  psql_admin -c "CREATE DATABASE $BENCH_DB" >/dev/null
  # BENCH_PG_SYNCHRONOUS_COMMIT=off: commits stop waiting for the disk, to compare what the
  # statements cost apart from the disk's flush latency
  psql_admin -c "ALTER DATABASE $BENCH_DB SET synchronous_commit = ${BENCH_PG_SYNCHRONOUS_COMMIT:-on}" >/dev/null
  JDBC_DATASOURCE_ARGS=("--spring.datasource.url=jdbc:postgresql://127.0.0.1:${BENCH_PG_PORT:-5432}/$BENCH_DB"
    --spring.datasource.username=postgres)
  JDBC_ARGS=(--idempotency.store=jdbc "${JDBC_DATASOURCE_ARGS[@]}" --idempotency.jdbc.initialize-schema=always)
}

bench_sql() { # bench_sql <sql> [psql options…]: runs a statement in the bench database, unaligned, tuples only
  local sql=$1; shift
  psql -h 127.0.0.1 -p "${BENCH_PG_PORT:-5432}" -U postgres -d "$BENCH_DB" -qAt "$@" -c "$sql"
}

transactions() { # transactions the bench database has committed or rolled back so far
  psql_admin -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '$BENCH_DB'"
}

# start_app <name> <extra args…>: sets APP_PORT (not run in a subshell, so PIDS keeps the JVM).
# The sample keeps its latest 10,000 payments only: kept all, millions of them fill the heap
# and every configuration slows down as it measures (-30 % after 3 minutes at 9,000/s).
start_app() {
  local name=$1; shift
  local port; port=$(free_port)
  java -Xms"$HEAP" -Xmx"$HEAP" -jar "$JAR" --server.port="$port" \
    --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$REDIS_PORT" \
    --logging.level.root=WARN --sample.payments-kept=10000 "$@" > "$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  if ! wait_until 90 curl -sf "http://127.0.0.1:$port/payments" -o /dev/null; then
    echo "The $name application did not start; its log ends with:" >&2
    tail -20 "$WORK/$name.log" >&2
    exit 1
  fi
  APP_PORT=$port
}

build_sample_app() { # sets JAR
  if [ -n "${BENCH_JAR:-}" ]; then
    JAR=$BENCH_JAR
    echo "Using $JAR"
    return
  fi
  echo "Building the sample app"
  # a stale repackaged jar would keep stale nested jars: build it afresh
  rm -f "$ROOT"/sample-app/target/sample-app-*.jar "$ROOT"/sample-app/target/sample-app-*.jar.original
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl sample-app -am)
  JAR=$(ls "$ROOT"/sample-app/target/sample-app-*.jar | head -1)
}

# wrk and the JVM's own counters (run.sh and encryption.sh); THREADS and CONNECTIONS are the caller's.
run_wrk() { # run_wrk <port> <script> <duration> <output file> [path]
  BENCH_RUN_ID=$RANDOM$RANDOM wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency -s "$BENCH/$2" \
    "http://127.0.0.1:$1${5:-/payments}" > "$4"
}

cpu_ticks() { # cpu_ticks <pid>: user + system time of the process so far, in clock ticks
  awk '{print $14 + $15}' "/proc/$1/stat"
}

allocated() { # allocated <port>: bytes the JVM has allocated so far, as Micrometer counts them at each GC
  curl -s "http://127.0.0.1:$1/actuator/prometheus" | awk '/^jvm_gc_memory_allocated_bytes_total/ {printf "%.0f", $2}'
}

# rotated_rounds: warms up every configuration of CONFIGS for WARMUP, then runs ROUNDS rounds of
# DURATION, each starting one configuration later, sampling the JVM's CPU and allocation around
# each run into $WORK/round-<r>-<config>.jvm (wrk_rounds.py reads them). The caller defines
# run_config <config> <duration> <output file> and config_app <config> (the key of its JVM in
# the PID and PORT maps).
rotated_rounds() {
  local config round i app cpu_before alloc_before
  echo "Warming up each configuration for $WARMUP"
  for config in "${CONFIGS[@]}"; do run_config "$config" "$WARMUP" "$WORK/warmup-$config.txt"; done
  for ((round = 1; round <= ROUNDS; round++)); do
    for ((i = 0; i < ${#CONFIGS[@]}; i++)); do
      config=${CONFIGS[$(( (i + round - 1) % ${#CONFIGS[@]} ))]}
      app=$(config_app "$config")
      echo "Round $round/$ROUNDS, $config"
      cpu_before=$(cpu_ticks "${PID[$app]}"); alloc_before=$(allocated "${PORT[$app]}")
      run_config "$config" "$DURATION" "$WORK/round-$round-$config.txt"
      echo "$(( $(cpu_ticks "${PID[$app]}") - cpu_before )) $(( $(allocated "${PORT[$app]}") - alloc_before )) $(getconf CLK_TCK)" \
        > "$WORK/round-$round-$config.jvm"
    done
  done
}
