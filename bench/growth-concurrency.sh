#!/usr/bin/env bash
# How throughput and latency grow with concurrency: POST /payments of the sample app with 1 to
# 256 wrk connections, on two applications that share a redis-server of their own: idempotency
# off, and on with the Redis store, the latter with first requests (a unique key per request)
# and replays (one key). Rotated rounds, medians. Writes bench/curves/growth-concurrency.csv
# and draws bench/curves/growth-concurrency.svg (throughput and p99) with gnuplot.
#
# Knobs (environment):
#   BENCH_ROUNDS=3         measured rounds per configuration
#   BENCH_DURATION=8s      length of one measured round
#   BENCH_WARMUP=10s       JIT warm-up per configuration, not measured
#   BENCH_CONNECTIONS_LIST="1 4 16 64 256"
#   BENCH_HEAP=512m, BENCH_JAR=path as for run.sh
set -euo pipefail

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-8s}
WARMUP=${BENCH_WARMUP:-10s}
read -r -a LEVELS <<< "${BENCH_CONNECTIONS_LIST:-1 4 16 64 256}"
NEEDS_GNUPLOT=yes
. "$(dirname "$0")/common.sh"

install_missing
build_sample_app
start_redis
declare -A PORT PID
start_app off --idempotency.enabled=false; PORT[off]=$APP_PORT; PID[off]=${PIDS[-1]}
start_app redis --idempotency.store=redis --idempotency.ttl=1h; PORT[redis]=$APP_PORT; PID[redis]=${PIDS[-1]}
curl -s -o /dev/null -X POST "http://127.0.0.1:${PORT[redis]}/payments" -H 'Content-Type: application/json' \
  -H 'Idempotency-Key: "bench-replay"' -d '{"amount":1000,"currency":"EUR"}'
echo "Applications: off ${PORT[off]}, Redis ${PORT[redis]} (redis-server $REDIS_PORT)"

CONFIGS=()
for level in "${LEVELS[@]}"; do for config in off redis-first redis-replay; do CONFIGS+=("$level-$config"); done; done
run_config() { # run_config <connections-app[-kind]> <duration> <output file>
  local level app kind script
  IFS=- read -r level app kind <<< "$1"
  script=unique-keys.lua; [ "$kind" = replay ] && script=replay-key.lua
  CONNECTIONS=$level THREADS=$(( level < 2 ? 1 : 2 )) run_wrk "${PORT[$app]}" "$script" "$2" "$3"
}

config_app() { local app; IFS=- read -r _ app _ <<< "$1"; echo "$app"; }
rotated_rounds

mkdir -p "$BENCH/results" "$CURVES"
PYTHONPATH="$BENCH" python3 - "$WORK" "$ROUNDS" "$DURATION" "$CURVES" "${LEVELS[@]}" <<'PY' | tee "$BENCH/results/growth-concurrency.txt"
import sys
from wrk_rounds import measured
work, rounds, duration, curves = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
levels = sys.argv[5:]
print(f"Throughput and latency by concurrency: POST /payments, Redis store, {rounds} rotated rounds of {duration}, medians")
print()
print(f"{'connections':>11} {'configuration':<14} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU µs/req':>11} {'non-2xx':>8}")
csv = ["connections,configuration,requests_per_second,p50_ms,p99_ms,cpu_us_per_request,non_2xx"]
for level in levels:
    for config in ("off", "redis-first", "redis-replay"):
        m = measured(work, rounds, f"{level}-{config}")
        print(f"{level:>11} {config:<14} {m['rps']:>8.0f} {m['p50']:>8.2f} {m['p99']:>8.2f} {m['cpu']:>11.0f} {m['errors']:>8}")
        csv.append(f"{level},{config},{m['rps']:.0f},{m['p50']:.3f},{m['p99']:.3f},{m['cpu']:.0f},{m['errors']}")
open(f"{curves}/growth-concurrency.csv", "w").write("\n".join(csv) + "\n")
PY

bash "$BENCH/plot-curves.sh"
