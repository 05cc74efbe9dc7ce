#!/usr/bin/env bash
# Side-by-side benchmark of POST /payments on the sample app, each door against idempotency off
# and against its floor (POST /floor/payments of the sample, sample.floor.enabled: the fewest
# Redis calls or SQL statements our guarantees need, written by hand):
#   Spring MVC on Redis: (a) idempotency disabled, (b) a unique key per request, (c) one key
#     replayed, (d) unique keys on the in-memory store (what Redis costs, by difference), and the
#     floor (g) unique keys, (h) one key replayed;
#   WebFlux on Redis (the sample's reactive profile): (i) disabled, (j) unique keys, (k) one key
#     replayed, and the floor on Lettuce's asynchronous API (l) unique keys, (m) one key replayed;
#   Spring MVC on PostgreSQL: (e) unique keys, (f) one key replayed on the JDBC store, and the
#     floor (sample.floor.store=jdbc) (n) unique keys, (o) one key replayed;
# in rotated rounds against a redis-server and a PostgreSQL database of its own, plus an exact
# count of the Redis commands and of the SQL statements one request costs. Prints a table with
# the ratios against their targets and writes it to bench/results/latest.txt. Each round also
# records the JVM's CPU time (/proc/<pid>/stat) and the bytes it allocated
# (jvm_gc_memory_allocated_bytes_total), per request.
#
# Knobs (environment):
#   BENCH_ROUNDS=3         measured rounds per configuration (the medians are reported)
#   BENCH_DURATION=10s     length of one measured round
#   BENCH_WARMUP=60s       JIT warm-up per configuration, not measured (a Spring Boot JVM on 2 cores
#                          needs about a minute to settle; shorter warm-ups skew every ratio), then
#                          10 s slices until two in a row are no more than 3 % faster than the best
#                          before them (one slower slice is noise, not the end of the warm-up)
#   BENCH_WARMUP_SLICES=12 at most this many of those slices per configuration (the WebFlux door has
#                          more code to compile than its floor: on 2 cores it takes 80-100 s)
#   BENCH_THREADS=2        wrk threads
#   BENCH_CONNECTIONS=16   wrk connections
#   BENCH_HEAP=512m        heap of each application JVM
#   BENCH_JAR=path         run this sample-app jar instead of building the tree
#   BENCH_JDBC=yes         also (e), (f), (n) and (o) on the machine's PostgreSQL (127.0.0.1:5432,
#                          user postgres without a password; BENCH_PG_PORT); no leaves them out
#   BENCH_WEBFLUX=yes      also (i) to (m); no leaves them out
#   BENCH_CONFIGS="a b g"  only these configurations (one application JVM each), e.g.
#                          "a b c g h" (Spring MVC), "i j k l m" (WebFlux), "a e f n o" (JDBC)
# Memory per record: bench/memory.sh.
set -euo pipefail

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-60s}
WARMUP_SLICES=${BENCH_WARMUP_SLICES:-12}
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
echo "Redis on port $REDIS_PORT"
declare -A PORTS PIDOF PATHS
JDBC_ARGS=() JDBC_DATASOURCE_ARGS=()
declare -A SCRIPTS=([a]=unique-keys.lua [b]=unique-keys.lua [c]=replay-key.lua [d]=unique-keys.lua [e]=unique-keys.lua
  [f]=replay-key.lua [g]=unique-keys.lua [h]=replay-key.lua [i]=unique-keys.lua [j]=unique-keys.lua [k]=replay-key.lua
  [l]=unique-keys.lua [m]=replay-key.lua [n]=unique-keys.lua [o]=replay-key.lua)
ALL_CONFIGS="a b c d g h"
[ "${BENCH_WEBFLUX:-yes}" = no ] || ALL_CONFIGS="$ALL_CONFIGS i j k l m"
[ "${BENCH_JDBC:-yes}" = no ] || ALL_CONFIGS="$ALL_CONFIGS e f n o"
CONFIGS=${BENCH_CONFIGS:-$ALL_CONFIGS}
wanted() { [[ " $CONFIGS " == *" $1 "* ]]; }
REACTIVE=(--spring.profiles.active=reactive --idempotency.key-prefix=webflux)
if [[ "$CONFIGS" == *[efno]* ]]; then
  start_postgres_database
  echo "PostgreSQL database $BENCH_DB"
fi
JDBC_FLOOR=(--idempotency.enabled=false --sample.floor.enabled=true --sample.floor.store=jdbc "${JDBC_DATASOURCE_ARGS[@]}")
config_args() { # config_args <config>: the application arguments of a configuration, into ARGS
  case $1 in
    a) ARGS=(--idempotency.enabled=false) ;;
    b | c) ARGS=(--idempotency.store=redis) ;;
    d) ARGS=(--idempotency.store=in-memory --idempotency.ttl=5s --idempotency.in-memory.max-entries=1000000) ;;
    e | f) ARGS=("${JDBC_ARGS[@]}") ;;
    g | h) ARGS=(--idempotency.enabled=false --sample.floor.enabled=true) ;;
    i) ARGS=("${REACTIVE[@]}" --idempotency.enabled=false) ;;
    j | k) ARGS=("${REACTIVE[@]}" --idempotency.store=redis) ;;
    l | m) ARGS=("${REACTIVE[@]}" --idempotency.enabled=false --sample.floor.enabled=true) ;;
    n | o) ARGS=("${JDBC_FLOOR[@]}") ;;
  esac
}
for config in $CONFIGS; do
  [[ $config == [ghlmno] ]] && PATHS[$config]=/floor/payments
  config_args "$config"
  echo "Starting configuration $config"
  start_app "config-$config" "${ARGS[@]}"; PORTS[$config]=$APP_PORT; PIDOF[$config]=${PIDS[-1]}
  if [ "${SCRIPTS[$config]}" = replay-key.lua ]; then
    [ "$(post "$APP_PORT" bench-replay "${PATHS[$config]:-/payments}")" = 201 ] \
      || { echo "Could not create the replayed payment of configuration $config" >&2; exit 1; }
  fi
done

rate_of() { awk '/^Requests\/sec/ {print $2}' "$1"; }
warm_up() { # warm_up <config>: WARMUP, then 10 s slices until two in a row beat the best by no more than 3 %
  local config=$1 slice=0 flat=0 best current
  run_wrk "${PORTS[$config]}" "${SCRIPTS[$config]}" "$WARMUP" "$WORK/warmup-$config.txt" "${PATHS[$config]:-/payments}"
  best=$(rate_of "$WORK/warmup-$config.txt")
  while ((slice < WARMUP_SLICES && flat < 2)); do
    slice=$((slice + 1))
    run_wrk "${PORTS[$config]}" "${SCRIPTS[$config]}" 10s "$WORK/warmup-$config-$slice.txt" "${PATHS[$config]:-/payments}"
    current=$(rate_of "$WORK/warmup-$config-$slice.txt")
    if awk -v now="$current" -v best="$best" 'BEGIN { exit !(now > best * 1.03) }'; then
      best=$current flat=0
    else
      flat=$((flat + 1))
    fi
  done
  echo "Configuration $config warm after $WARMUP and $slice slices of 10 s ($current requests/s in the last)"
}
echo "Warming up each application for $WARMUP and until its rate stops rising"
for config in $CONFIGS; do warm_up "$config"; done

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
count_of() { # count_of <counting function> <label> <config> <function that sends request i to port $COUNT_PORT>
  if wanted "$3"; then COUNT_PORT=${PORTS[$3]}; COUNT_PATH=${PATHS[$3]:-/payments}; "$1" "$2" 100 "$4"; fi
}
count_config() { count_of count_round_trips "$@"; }
send_new() { post "$COUNT_PORT" "count-new-$1-$RANDOM$RANDOM" "$COUNT_PATH"; }
send_replay() { post "$COUNT_PORT" bench-replay "$COUNT_PATH"; }
send_conflict() { post "$PORT_SLOW" count-conflict; }
# The payments of the unique-key rounds stay in the heap of their JVM; that is the sample's design.
count_config "first request (claim + complete)" b send_new
count_config "replay" c send_replay
count_config "floor: first request" g send_new
count_config "floor: replay" h send_replay
count_config "WebFlux: first request" j send_new
count_config "WebFlux: replay" k send_replay
count_config "WebFlux floor: first request" l send_new
count_config "WebFlux floor: replay" m send_replay

if wanted b; then
  start_app slow --idempotency.store=redis --sample.payment-delay=20s --idempotency.key-prefix=slow; PORT_SLOW=$APP_PORT
  post "$PORT_SLOW" count-conflict > "$WORK/slow-first.txt" &
  SLOW_POST=$!
  wait_until 30 sh -c "redis-cli -p $REDIS_PORT --scan --pattern 'slow:*' | grep -q ."
  count_round_trips "in-flight conflict (409)" 100 send_conflict
  wait "$SLOW_POST"
fi

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
count_statements_of() { count_of count_statements "$@"; }
if [[ "$CONFIGS" == *[efno]* ]]; then
  echo "Counting SQL statements per request (each runs in a transaction of its own)"
  : > "$WORK/statements.txt"
  send_conflict_jdbc() { post "$PORT_SLOW_JDBC" count-conflict; }
  count_statements_of "first request (claim + complete)" e send_new
  count_statements_of "replay" f send_replay
  count_statements_of "floor: first request" n send_new
  count_statements_of "floor: replay" o send_replay
  if wanted e; then
    start_app slow-jdbc "${JDBC_ARGS[@]}" --sample.payment-delay=60s; PORT_SLOW_JDBC=$APP_PORT
    post "$PORT_SLOW_JDBC" count-conflict > "$WORK/slow-jdbc-first.txt" &
    SLOW_JDBC_POST=$!
    wait_until 30 sh -c "[ \"\$(psql -h 127.0.0.1 -p ${BENCH_PG_PORT:-5432} -U postgres -d $BENCH_DB -qAtc \"SELECT COUNT(*) FROM idempotency_records WHERE state = 'P'\")\" -ge 1 ]"
    count_statements "in-flight conflict (409)" 100 send_conflict_jdbc
    kill "$SLOW_JDBC_POST" 2>/dev/null || true
  fi
fi

mkdir -p "$BENCH/results"
python3 "$BENCH/report.py" "$WORK" "$ROUNDS" "$THREADS" "$CONNECTIONS" "$DURATION" | tee "$BENCH/results/latest.txt"
