#!/usr/bin/env bash
# Two builds of the sample app side by side against one redis-server of its own: both JVMs
# run at once, and wrk rounds alternate between them, so drift on a shared machine hits both
# alike. Prints, per build, the median requests/s and p99 of unique keys (claim + complete)
# and of one replayed key.
#
# Usage: bench/compare.sh <old sample-app jar> <new sample-app jar>
# Knobs: BENCH_ROUNDS=5, BENCH_DURATION=10s, BENCH_WARMUP=15s, BENCH_THREADS=2,
#        BENCH_CONNECTIONS=16, BENCH_HEAP=512m
set -euo pipefail

[ $# -eq 2 ] || { echo "Usage: $0 <old jar> <new jar>" >&2; exit 2; }
ROUNDS=${BENCH_ROUNDS:-5}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-15s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
. "$(dirname "$0")/common.sh"

wrk_round() { # wrk_round <port> <script> <duration>: prints "<requests/s> <p99 ms>"
  BENCH_RUN_ID=$RANDOM$RANDOM wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3" --latency -s "$BENCH/$2" \
    "http://127.0.0.1:$1/payments" | awk '
      / 99% / { v = $2; if (v ~ /us$/) p = v / 1000; else if (v ~ /ms$/) p = v + 0; else p = v * 1000 }
      /^Requests\/sec/ { r = $2 }
      END { print r, p }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

install_missing
start_redis
declare -A PORT
for build in old new; do
  JAR=$1; [ "$build" = old ] || JAR=$2
  start_app "$build" --idempotency.store=redis --idempotency.key-prefix="$build"
  PORT[$build]=$APP_PORT
  curl -s -o /dev/null -X POST "http://127.0.0.1:$APP_PORT/payments" -H 'Content-Type: application/json' \
    -H 'Idempotency-Key: "bench-replay"' -d '{"amount":1000,"currency":"EUR"}'
done

echo "Warming up both builds for $WARMUP per workload"
for build in old new; do
  for script in unique-keys.lua replay-key.lua; do wrk_round "${PORT[$build]}" "$script" "$WARMUP" > /dev/null; done
done
for ((round = 1; round <= ROUNDS; round++)); do
  echo "Round $round/$ROUNDS"
  for script in unique-keys.lua replay-key.lua; do
    for build in old new; do
      wrk_round "${PORT[$build]}" "$script" "$DURATION" > "$WORK/$build-$script-$round.txt"
    done
  done
done

printf '\n%-22s %-6s %12s %10s\n' "workload" "build" "requests/s" "p99 ms"
for script in unique-keys.lua replay-key.lua; do
  for build in old new; do
    rps=$(cat "$WORK/$build-$script-"*.txt | awk '{print $1}' | median)
    p99=$(cat "$WORK/$build-$script-"*.txt | awk '{print $2}' | median)
    printf '%-22s %-6s %12s %10s\n' "${script%.lua}" "$build" "$rps" "$p99"
  done
done
