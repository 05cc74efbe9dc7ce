#!/usr/bin/env bash
# What encrypting stored responses costs (idempotency.encryption.*): POST /statements of the
# sample app with a ~1 KB and a ~64 KB JSON response, each as (a) first requests (a unique key
# per request: claim, run, store) and (b) replays of one key, on two applications that share a
# redis-server of their own: one storing responses in clear, one encrypting them (AES-256-GCM).
# Measured in rotated rounds: the JVM's CPU time per request (/proc/<pid>/stat), the bytes it
# allocated per request, and the throughput; and the bytes one record takes in Redis (the JDBC
# store's record column holds the same bytes). Prints a table and writes it to
# bench/results/encryption.txt.
#
# Knobs (environment):
#   BENCH_ROUNDS=5         measured rounds per configuration (the medians are reported)
#   BENCH_DURATION=10s     length of one measured round
#   BENCH_WARMUP=30s       JIT warm-up per configuration, not measured
#   BENCH_THREADS=2        wrk threads
#   BENCH_CONNECTIONS=8    wrk connections
#   BENCH_HEAP=512m        heap of each application JVM
#   BENCH_JAR=path         run this sample-app jar instead of building the tree
set -euo pipefail

ROUNDS=${BENCH_ROUNDS:-5}
DURATION=${BENCH_DURATION:-10s}
WARMUP=${BENCH_WARMUP:-30s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
. "$(dirname "$0")/common.sh"

declare -A LINES=([1k]=10 [64k]=624)
body() { echo "{\"account\":\"acme-1\",\"lines\":${LINES[$1]}}"; }

install_missing
build_sample_app
start_redis
KEY=$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')
declare -A PORT PID
for mode in clear encrypted; do
  args=(--idempotency.store=redis --idempotency.ttl=1h --idempotency.key-prefix="$mode")
  [ "$mode" = clear ] || args+=(--idempotency.encryption.keys.bench="$KEY" --idempotency.encryption.current-key=bench)
  start_app "$mode" "${args[@]}"
  PORT[$mode]=$APP_PORT; PID[$mode]=${PIDS[-1]}
done
echo "Redis on port $REDIS_PORT; applications: clear ${PORT[clear]}, encrypted ${PORT[encrypted]}"

: > "$WORK/sizes.txt"
for mode in clear encrypted; do
  for size in 1k 64k; do
    bytes=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' -X POST "http://127.0.0.1:${PORT[$mode]}/statements" \
      -H 'Content-Type: application/json' -H "Idempotency-Key: \"replay-$size\"" -d "$(body "$size")")
    [ "${bytes%% *}" = 201 ] || { echo "Could not issue the replayed statement ($mode, $size): $bytes" >&2; exit 1; }
    # the only record under this prefix and of about this size is the one just stored
    stored=$(redis-cli -p "$REDIS_PORT" --scan --pattern "$mode:*" | while read -r k; do redis-cli -p "$REDIS_PORT" strlen "$k"; done \
      | sort -n | tail -1)
    echo "$mode $size ${bytes#* } $stored" >> "$WORK/sizes.txt"
  done
done

CONFIGS=()
for mode in clear encrypted; do for size in 1k 64k; do for kind in first replay; do CONFIGS+=("$mode-$size-$kind"); done; done; done
run_config() { # run_config <config> <duration> <output file>
  local mode size kind script
  IFS=- read -r mode size kind <<< "$1"
  script=unique-keys.lua; [ "$kind" = first ] || script=replay-key.lua
  BENCH_BODY=$(body "$size") BENCH_REPLAY_KEY=replay-$size run_wrk "${PORT[$mode]}" "$script" "$2" "$3" /statements
}

config_app() { echo "${1%%-*}"; }
rotated_rounds

mkdir -p "$BENCH/results"
PYTHONPATH="$BENCH" python3 - "$WORK" "$ROUNDS" "$DURATION" "$CONNECTIONS" <<'PY' | tee "$BENCH/results/encryption.txt"
import sys
import wrk_rounds
work, rounds, duration, connections = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

def measured(config):
    m = wrk_rounds.measured(work, rounds, config)
    return m["rps"], m["cpu"], m["alloc"], m["errors"]

sizes = {}
for line in open(f"{work}/sizes.txt"):
    mode, size, body, stored = line.split()
    sizes[(mode, size)] = (int(body), int(stored))
print(f"Encrypted stored responses: POST /statements, {rounds} rotated rounds of {duration}, "
      f"{connections} connections, medians")
print()
print(f"{'response':<10} {'request':<8} {'store':<10} {'req/s':>8} {'CPU µs/req':>11} {'KB alloc/req':>13} {'non-2xx':>8}")
for size in ("1k", "64k"):
    for kind in ("first", "replay"):
        row = {}
        for mode in ("clear", "encrypted"):
            rps, cpu, alloc, errors = measured(f"{mode}-{size}-{kind}")
            row[mode] = cpu
            print(f"{str(sizes[(mode, size)][0]) + ' B':<10} {kind:<8} {mode:<10} {rps:>8.0f} {cpu:>11.0f} {alloc:>13.1f} {errors:>8}")
        print(f"{'':<10} {'':<8} {'added':<10} {'':>8} {row['encrypted'] - row['clear']:>+11.0f}")
print()
print(f"{'response':<10} {'stored in clear':>16} {'stored encrypted':>17} {'added':>6}")
for size in ("1k", "64k"):
    clear, encrypted = sizes[("clear", size)][1], sizes[("encrypted", size)][1]
    print(f"{str(sizes[('clear', size)][0]) + ' B':<10} {str(clear) + ' B':>16} {str(encrypted) + ' B':>17} {encrypted - clear:>+6}")
PY
