#!/usr/bin/env bash
# Side-by-side benchmark of POST /payments on the sample app:
#   (a) idempotency disabled, (b) a unique key per request, (c) one key replayed,
#   (d) a unique key per request on the in-memory store (what Redis costs, by difference),
#   (e) a unique key per request and (f) one key replayed on the JDBC store (PostgreSQL),
#   (g) a unique key per request and (h) one key replayed on the floor: POST /floor/payments of
#   the sample (sample.floor.enabled), the fewest Redis calls our guarantees need, written by hand,
# in alternating rounds against a redis-server and a PostgreSQL database of its own, plus an
# exact count of the Redis commands and of the SQL statements one request costs. Prints a
# table and writes it to bench/results/latest.txt. Each round also records the JVM's CPU time
# (/proc/<pid>/stat) and the bytes it allocated (jvm_gc_memory_allocated_bytes_total), per request.
#
# Knobs (environment):
#   BENCH_ROUNDS=3         measured rounds per configuration (the medians are reported)
#   BENCH_DURATION=10s     length of one measured round
#   BENCH_WARMUP=60s       JIT warm-up per configuration, not measured (a Spring Boot JVM on 2 cores
#                          needs about a minute to settle; shorter warm-ups skew every ratio)
#   BENCH_THREADS=2        wrk threads
#   BENCH_CONNECTIONS=16   wrk connections
#   BENCH_HEAP=512m        heap of each application JVM
#   BENCH_JAR=path         run this sample-app jar instead of building the tree
#   BENCH_JDBC=yes         also (e) and (f) on the machine's PostgreSQL (127.0.0.1:5432, user
#                          postgres without a password; BENCH_PG_PORT); no leaves them out
# Memory per record: bench/memory.sh.
set -euo pipefail

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-60s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
. "$(dirname "$0")/common.sh"

post() { # post <port> <key> [path]: prints the HTTP status
  curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1${3:-/payments}" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: \"$2\"" -d '{"amount":1000,"currency":"EUR"}'
}

measured_round() { # measured_round <config> <round>: one wrk round with the JVM's CPU and allocation
  local config=$1 round=$2 port=${PORTS[$1]} pid=${PIDOF[$1]}
  local cpu_before alloc_before
  cpu_before=$(cpu_ticks "$pid"); alloc_before=$(allocated "$port")
  run_wrk "$port" "${SCRIPTS[$config]}" "$DURATION" "$WORK/round-$round-$config.txt" "${PATHS[$config]:-/payments}"
  echo "$(( $(cpu_ticks "$pid") - cpu_before )) $(( $(allocated "$port") - alloc_before )) $(getconf CLK_TCK)" \
    > "$WORK/round-$round-$config.jvm"
}

start_monitor() { # records every command clients send, to count round trips exactly
  redis-cli -p "$REDIS_PORT" monitor > "$WORK/monitor.txt" &
  MONITOR_PID=$!
  wait_until 10 grep -q '^OK' "$WORK/monitor.txt"
}

stop_monitor() { # prints "<round trips> <breakdown>"; commands run inside scripts ([0 lua]) are not round trips
  local marker="bench-marker-$RANDOM"
  redis-cli -p "$REDIS_PORT" echo "$marker" >/dev/null
  wait_until 10 grep -q "$marker" "$WORK/monitor.txt"
  kill "$MONITOR_PID"; wait "$MONITOR_PID" 2>/dev/null || true
  grep -v "$marker" "$WORK/monitor.txt" | grep -v ' \[[0-9]* lua\] ' | grep '^[0-9]' > "$WORK/client-commands.txt" || true
  local total; total=$(wc -l < "$WORK/client-commands.txt")
  local breakdown; breakdown=$(awk '{gsub("\"","",$4); print tolower($4)}' "$WORK/client-commands.txt" | sort | uniq -c \
    | awk '{printf "%s=%s ", $2, $1}')
  echo "$total $breakdown"
}

count_round_trips() { # count_round_trips <label> <n> <function that sends request number i>
  local label=$1 n=$2 send=$3 i
  start_monitor
  for ((i = 0; i < n; i++)); do "$send" "$i" > "$WORK/status.txt"; done
  local result; result=$(stop_monitor)
  printf '%-34s %6.2f   (%s over %d requests; last status %s)\n' "$label" \
    "$(echo "${result%% *} $n" | awk '{print $1/$2}')" "${result#* }" "$n" "$(cat "$WORK/status.txt")" >> "$WORK/commands.txt"
}

install_missing
build_sample_app

start_redis
echo "Redis on port $REDIS_PORT; starting four applications"
declare -A PORTS PIDOF PATHS
declare -A SCRIPTS=([a]=unique-keys.lua [b]=unique-keys.lua [c]=replay-key.lua [d]=unique-keys.lua [e]=unique-keys.lua
  [f]=replay-key.lua [g]=unique-keys.lua [h]=replay-key.lua [i]=unique-keys.lua [j]=unique-keys.lua [k]=replay-key.lua)
start_config() { # start_config <config> <name> <args…>
  local config=$1 name=$2; shift 2
  start_app "$name" "$@"; PORTS[$config]=$APP_PORT; PIDOF[$config]=${PIDS[-1]}
}
start_config a disabled --idempotency.enabled=false; PORT_A=${PORTS[a]}
start_config b unique --idempotency.store=redis; PORT_B=${PORTS[b]}
start_config c replay --idempotency.store=redis; PORT_C=${PORTS[c]}
start_config d in-memory --idempotency.store=in-memory --idempotency.ttl=5s --idempotency.in-memory.max-entries=1000000
start_config g floor-unique --idempotency.enabled=false --sample.floor.enabled=true
start_config h floor-replay --idempotency.enabled=false --sample.floor.enabled=true
PATHS[g]=/floor/payments; PATHS[h]=/floor/payments
[ "$(post "$PORT_C" bench-replay)" = 201 ] || { echo "Could not create the replayed payment" >&2; exit 1; }
[ "$(post "${PORTS[h]}" bench-replay /floor/payments)" = 201 ] || { echo "Could not create the floor's replayed payment" >&2; exit 1; }

CONFIGS="a b c d g h"
if [ "${BENCH_WEBFLUX:-yes}" != no ]; then
  echo "Starting three applications on the reactive stack (the sample's reactive profile: WebFlux on Netty)"
  REACTIVE=(--spring.profiles.active=reactive --idempotency.key-prefix=webflux)
  start_config i webflux-disabled "${REACTIVE[@]}" --idempotency.enabled=false
  start_config j webflux-unique "${REACTIVE[@]}" --idempotency.store=redis
  start_config k webflux-replay "${REACTIVE[@]}" --idempotency.store=redis
  [ "$(post "${PORTS[k]}" bench-replay)" = 201 ] || { echo "Could not create the replayed payment (WebFlux)" >&2; exit 1; }
  CONFIGS="$CONFIGS i j k"
fi
if [ "${BENCH_JDBC:-yes}" != no ]; then
  start_postgres_database
  echo "PostgreSQL database $BENCH_DB; starting two applications on the JDBC store"
  start_config e jdbc-unique "${JDBC_ARGS[@]}"
  start_config f jdbc-replay "${JDBC_ARGS[@]}"
  [ "$(post "${PORTS[f]}" bench-replay)" = 201 ] || { echo "Could not create the replayed payment (JDBC)" >&2; exit 1; }
  CONFIGS="$CONFIGS e f"
fi

echo "Warming up each application for $WARMUP"
for config in $CONFIGS; do
  run_wrk "${PORTS[$config]}" "${SCRIPTS[$config]}" "$WARMUP" "$WORK/warmup-$config.txt" "${PATHS[$config]:-/payments}"
done

read -r -a ORDER <<< "$CONFIGS"
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < ${#ORDER[@]}; i++)); do # rotated: each round starts one configuration later
    config=${ORDER[$(( (i + round - 1) % ${#ORDER[@]} ))]}
    echo "Round $round/$ROUNDS, configuration $config"
    measured_round "$config" "$round"
  done
done

echo "Counting Redis round trips per request"
: > "$WORK/commands.txt"
send_new() { post "$PORT_B" "count-new-$1-$RANDOM$RANDOM"; }
send_replay() { post "$PORT_C" bench-replay; }
send_conflict() { post "$PORT_SLOW" count-conflict; }
# The payments of the unique-key rounds stay in the heap of JVM b; that is the sample's design.
count_round_trips "first request (claim + complete)" 100 send_new
count_round_trips "replay" 100 send_replay
send_new_floor() { post "${PORTS[g]}" "count-floor-$1-$RANDOM$RANDOM" /floor/payments; }
send_replay_floor() { post "${PORTS[h]}" bench-replay /floor/payments; }
count_round_trips "floor: first request" 100 send_new_floor
count_round_trips "floor: replay" 100 send_replay_floor
if [ -n "${PORTS[j]:-}" ]; then
  send_new_webflux() { post "${PORTS[j]}" "count-webflux-$1-$RANDOM$RANDOM"; }
  send_replay_webflux() { post "${PORTS[k]}" bench-replay; }
  count_round_trips "WebFlux: first request" 100 send_new_webflux
  count_round_trips "WebFlux: replay" 100 send_replay_webflux
fi

start_app slow --idempotency.store=redis --sample.payment-delay=20s --idempotency.key-prefix=slow; PORT_SLOW=$APP_PORT
post "$PORT_SLOW" count-conflict > "$WORK/slow-first.txt" &
SLOW_POST=$!
wait_until 30 sh -c "redis-cli -p $REDIS_PORT --scan --pattern 'slow:*' | grep -q ."
count_round_trips "in-flight conflict (409)" 100 send_conflict
wait "$SLOW_POST"

count_statements() { # count_statements <label> <n> <function that sends request number i>
  local label=$1 n=$2 send=$3 i before after
  sleep 11 # PostgreSQL publishes a backend's counters when it has been idle (at most every 10 s)
  before=$(transactions)
  for ((i = 0; i < n; i++)); do "$send" "$i" > "$WORK/status.txt"; done
  sleep 11
  after=$(transactions)
  printf '%-34s %6.2f   (%d transactions over %d requests; last status %s)\n' "$label" \
    "$(echo "$before $after $n" | awk '{print ($2 - $1) / $3}')" "$((after - before))" "$n" "$(cat "$WORK/status.txt")" \
    >> "$WORK/statements.txt"
}
if [ "${BENCH_JDBC:-yes}" != no ]; then
  echo "Counting SQL statements per request (each runs in a transaction of its own)"
  : > "$WORK/statements.txt"
  send_new_jdbc() { post "${PORTS[e]}" "count-new-$1-$RANDOM$RANDOM"; }
  send_replay_jdbc() { post "${PORTS[f]}" bench-replay; }
  send_conflict_jdbc() { post "$PORT_SLOW_JDBC" count-conflict; }
  count_statements "first request (claim + complete)" 100 send_new_jdbc
  count_statements "replay" 100 send_replay_jdbc
  start_app slow-jdbc "${JDBC_ARGS[@]}" --sample.payment-delay=60s; PORT_SLOW_JDBC=$APP_PORT
  post "$PORT_SLOW_JDBC" count-conflict > "$WORK/slow-jdbc-first.txt" &
  SLOW_JDBC_POST=$!
  wait_until 30 sh -c "[ \"\$(psql -h 127.0.0.1 -p ${BENCH_PG_PORT:-5432} -U postgres -d $BENCH_DB -qAtc \"SELECT COUNT(*) FROM idempotency_records WHERE state = 'P'\")\" -ge 1 ]"
  count_statements "in-flight conflict (409)" 100 send_conflict_jdbc
  kill "$SLOW_JDBC_POST" 2>/dev/null || true
fi

mkdir -p "$BENCH/results"
python3 "$BENCH/report.py" "$WORK" "$ROUNDS" "$THREADS" "$CONNECTIONS" "$DURATION" | tee "$BENCH/results/latest.txt"
