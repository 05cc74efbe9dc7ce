#!/usr/bin/env bash
# How the cost grows with the size of a response: POST /statements of the sample app with
# responses from about 150 B to about 1 MB, on three applications that share nothing but the
# machine: idempotency off, the Redis store (a redis-server of its own) and the JDBC store (a
# PostgreSQL database of its own). For each size: the JVM's CPU time per request and the bytes
# it allocated per request for the off application, and for first requests (a unique key per
# request: claim, run, store) and replays (one key) on each store; and the bytes one record
# takes (Redis: the value's length; PostgreSQL: the record column's). Rotated rounds, medians.
# Writes bench/curves/growth-size.csv and draws bench/curves/growth-size-cpu.svg and
# bench/curves/growth-size-stored.svg with gnuplot (installed from the distribution when
# missing).
#
# Knobs (environment):
#   BENCH_ROUNDS=3         measured rounds per configuration
#   BENCH_DURATION=8s      length of one measured round
#   BENCH_WARMUP=10s       JIT warm-up per configuration, not measured
#   BENCH_THREADS=2        wrk threads
#   BENCH_CONNECTIONS=8    wrk connections
#   BENCH_LINES="1 10 100 1000 9600"   statement lines per size (about 105 B of JSON each)
#   BENCH_HEAP=512m, BENCH_JAR=path, BENCH_PG_PORT=5432 as for run.sh
set -euo pipefail

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-8s}
WARMUP=${BENCH_WARMUP:-10s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
read -r -a SIZES <<< "${BENCH_LINES:-1 10 100 1000 9600}"
NEEDS_GNUPLOT=yes
. "$(dirname "$0")/common.sh"

body() { echo "{\"account\":\"acme-1\",\"lines\":$1}"; }

install_missing
build_sample_app
start_redis
start_postgres_database
declare -A PORT PID
common=(--idempotency.ttl=1h --idempotency.max-body-size=2MB)
start_app off --idempotency.enabled=false "${common[@]}"; PORT[off]=$APP_PORT; PID[off]=${PIDS[-1]}
start_app redis --idempotency.store=redis "${common[@]}"; PORT[redis]=$APP_PORT; PID[redis]=${PIDS[-1]}
start_app jdbc "${JDBC_ARGS[@]}" "${common[@]}"; PORT[jdbc]=$APP_PORT; PID[jdbc]=${PIDS[-1]}
echo "Applications: off ${PORT[off]}, Redis ${PORT[redis]} (redis-server $REDIS_PORT), JDBC ${PORT[jdbc]} (database $BENCH_DB)"

# the bytes one record takes, one size at a time (each measured alone, then removed)
issue() { # issue <app> <lines>: one statement under the key replay-<lines>; prints its status and size
  curl -s -o /dev/null -w '%{http_code} %{size_download}' -X POST "http://127.0.0.1:${PORT[$1]}/statements" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: \"replay-$2\"" -d "$(body "$2")"
}
: > "$WORK/sizes.txt"
for lines in "${SIZES[@]}"; do
  for store in redis jdbc; do
    result=$(issue "$store" "$lines")
    [ "${result%% *}" = 201 ] || { echo "Could not issue the statement ($store, $lines lines): $result" >&2; exit 1; }
  done
  redis_bytes=$(redis-cli -p "$REDIS_PORT" --scan --pattern 'idempotency:*' | while read -r k; do redis-cli -p "$REDIS_PORT" strlen "$k"; done | sort -n | tail -1)
  jdbc_bytes=$(bench_sql "SELECT max(octet_length(record)) FROM idempotency_records")
  echo "$lines ${result#* } $redis_bytes $jdbc_bytes" >> "$WORK/sizes.txt"
  redis-cli -p "$REDIS_PORT" --scan --pattern 'idempotency:*' | xargs -r redis-cli -p "$REDIS_PORT" del > /dev/null
  bench_sql "TRUNCATE idempotency_records" > /dev/null
done
# the records the replay rounds replay
for lines in "${SIZES[@]}"; do for store in redis jdbc; do issue "$store" "$lines" > /dev/null; done; done

CONFIGS=()
for lines in "${SIZES[@]}"; do for config in off redis-first redis-replay jdbc-first jdbc-replay; do CONFIGS+=("$lines-$config"); done; done
run_config() { # run_config <lines-app[-kind]> <duration> <output file>
  local lines app kind script
  IFS=- read -r lines app kind <<< "$1"
  script=unique-keys.lua; [ "$kind" = replay ] && script=replay-key.lua
  BENCH_BODY=$(body "$lines") BENCH_REPLAY_KEY=replay-$lines run_wrk "${PORT[$app]}" "$script" "$2" "$3" /statements
}

config_app() { local app; IFS=- read -r _ app _ <<< "$1"; echo "$app"; }
rotated_rounds

mkdir -p "$BENCH/results" "$CURVES"
PYTHONPATH="$BENCH" python3 - "$WORK" "$ROUNDS" "$DURATION" "$CONNECTIONS" "$CURVES" "${SIZES[@]}" <<'PY' | tee "$BENCH/results/growth-size.txt"
import sys
from wrk_rounds import measured
work, rounds, duration, connections, curves = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
sizes = sys.argv[6:]
configs = ["off", "redis-first", "redis-replay", "jdbc-first", "jdbc-replay"]
stored = {}
for line in open(f"{work}/sizes.txt"):
    lines, response, redis_bytes, jdbc_bytes = line.split()
    stored[lines] = (int(response), int(redis_bytes), int(jdbc_bytes))

print(f"Cost by response size: POST /statements, {rounds} rotated rounds of {duration}, {connections} connections, medians")
print()
print(f"{'response':>10} {'configuration':<14} {'req/s':>8} {'CPU µs/req':>11} {'KB alloc/req':>13} {'p99 ms':>8} {'non-2xx':>8}")
csv = ["response_bytes,configuration,requests_per_second,cpu_us_per_request,kb_allocated_per_request,p99_ms,non_2xx,stored_bytes"]
for lines in sizes:
    response, redis_bytes, jdbc_bytes = stored[lines]
    for config in configs:
        m = measured(work, rounds, f"{lines}-{config}")
        record = {"off": "", "redis-first": redis_bytes, "redis-replay": redis_bytes,
                  "jdbc-first": jdbc_bytes, "jdbc-replay": jdbc_bytes}[config]
        print(f"{response:>10} {config:<14} {m['rps']:>8.0f} {m['cpu']:>11.0f} {m['alloc']:>13.1f} {m['p99']:>8.1f} {m['errors']:>8}")
        csv.append(f"{response},{config},{m['rps']:.0f},{m['cpu']:.0f},{m['alloc']:.1f},{m['p99']:.2f},{m['errors']},{record}")
print()
print(f"{'response':>10} {'Redis record':>13} {'PostgreSQL record':>18}")
for lines in sizes:
    response, redis_bytes, jdbc_bytes = stored[lines]
    print(f"{response:>10} {redis_bytes:>13} {jdbc_bytes:>18}")
open(f"{curves}/growth-size.csv", "w").write("\n".join(csv) + "\n")
PY

bash "$BENCH/plot-curves.sh"
