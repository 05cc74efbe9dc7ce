#!/usr/bin/env bash
# One Redis node against a Redis Cluster of three shards, each behind two instances of the sample
# app: POST /payments with first requests (a unique key per request) and replays (one key, stored
# once), at several numbers of connections split evenly over the two instances (one wrk per
# instance, run at the same time). Every redis-server is started here on free ports; the cluster
# is created with redis-cli --cluster create (three masters, no replicas). Rotated rounds,
# medians: throughput is the sum of both instances, p50 and p99 the higher of the two. Writes
# bench/curves/growth-cluster.csv and draws bench/curves/growth-cluster.svg with gnuplot.
#
# Knobs (environment):
#   BENCH_ROUNDS=3          measured rounds per configuration
#   BENCH_DURATION=8s       length of one measured round
#   BENCH_WARMUP=20s        JIT warm-up per configuration, not measured
#   BENCH_CONNECTIONS_LIST="4 16 64"   connections in all, half on each instance
#   BENCH_HEAP=512m, BENCH_JAR=path as for run.sh
set -euo pipefail

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-8s}
WARMUP=${BENCH_WARMUP:-20s}
read -r -a LEVELS <<< "${BENCH_CONNECTIONS_LIST:-4 16 64}"
NEEDS_GNUPLOT=yes
. "$(dirname "$0")/common.sh"

install_missing
build_sample_app
start_redis

free_cluster_port() { # a free port at most 55535 whose cluster bus port (10000 higher) is free too
  python3 -c '
import random, socket
def free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False
while True:
    port = random.randint(20000, 55535)
    if free(port) and free(port + 10000):
        print(port)
        break'
}
NODES=()
for shard in 1 2 3; do
  port=$(free_cluster_port)
  mkdir -p "$WORK/shard-$shard"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK/shard-$shard" \
    --cluster-enabled yes --cluster-config-file nodes.conf --logfile "$WORK/shard-$shard/redis.log" &
  PIDS+=($!)
  wait_until 30 redis-cli -p "$port" ping
  NODES+=("127.0.0.1:$port")
done
redis-cli --cluster create "${NODES[@]}" --cluster-replicas 0 --cluster-yes > "$WORK/cluster-create.txt"
cluster_ready() {
  local node
  for node in "${NODES[@]}"; do
    redis-cli -p "${node#*:}" cluster info | grep -q 'cluster_state:ok' || return 1
  done
}
wait_until 60 cluster_ready

declare -A PORT
cluster_nodes=$(IFS=,; echo "${NODES[*]}")
for instance in a b; do
  start_app "single-$instance" --idempotency.store=redis --idempotency.ttl=1h; PORT[single-$instance]=$APP_PORT
  start_app "cluster-$instance" --idempotency.store=redis --idempotency.ttl=1h \
    --spring.data.redis.cluster.nodes="$cluster_nodes"; PORT[cluster-$instance]=$APP_PORT
done
for topology in single cluster; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:${PORT[$topology-a]}/payments" \
    -H 'Content-Type: application/json' -H 'Idempotency-Key: "bench-replay"' -d '{"amount":1000,"currency":"EUR"}')
  [ "$status" = 201 ] || { echo "Could not store the replayed payment on $topology: $status" >&2; exit 1; }
done
echo "One node $REDIS_PORT: instances ${PORT[single-a]}, ${PORT[single-b]}; cluster ${NODES[*]}: instances ${PORT[cluster-a]}, ${PORT[cluster-b]}"

CONFIGS=()
for level in "${LEVELS[@]}"; do
  for topology in single cluster; do for kind in first replay; do CONFIGS+=("$level-$topology-$kind"); done; done
done
run_pair() { # run_pair <connections-topology-kind> <duration> <output prefix>: one wrk per instance, together
  local level topology kind script instance waits=()
  IFS=- read -r level topology kind <<< "$1"
  script=unique-keys.lua; [ "$kind" = replay ] && script=replay-key.lua
  for instance in a b; do
    CONNECTIONS=$(( level / 2 )) THREADS=1 run_wrk "${PORT[$topology-$instance]}" "$script" "$2" "$3-$instance.txt" &
    waits+=($!)
  done
  wait "${waits[@]}"
}
echo "Warming up each configuration for $WARMUP"
for config in "${CONFIGS[@]}"; do run_pair "$config" "$WARMUP" "$WORK/warmup-$config"; done
for ((round = 1; round <= ROUNDS; round++)); do
  for ((i = 0; i < ${#CONFIGS[@]}; i++)); do
    config=${CONFIGS[$(( (i + round - 1) % ${#CONFIGS[@]} ))]}
    echo "Round $round/$ROUNDS, $config"
    run_pair "$config" "$DURATION" "$WORK/round-$round-$config"
  done
done
for node in "${NODES[@]}"; do echo "$node $(redis-cli -p "${node#*:}" dbsize)"; done > "$WORK/keys-by-shard.txt"

mkdir -p "$BENCH/results" "$CURVES"
PYTHONPATH="$BENCH" python3 - "$WORK" "$ROUNDS" "$DURATION" "$CURVES" "${LEVELS[@]}" <<'PY' | tee "$BENCH/results/growth-cluster.txt"
import statistics, sys
from wrk_rounds import wrk_result
work, rounds, duration, curves = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
levels = sys.argv[5:]
print(f"One Redis node against a cluster of 3 shards, two application instances each: POST /payments, "
      f"{rounds} rotated rounds of {duration}, medians (req/s summed over the instances, latency the higher)")
print()
print(f"{'connections':>11} {'topology':<9} {'requests':<8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
csv = ["connections,topology,requests,requests_per_second,p50_ms,p99_ms,non_2xx"]
for level in levels:
    for topology in ("single", "cluster"):
        for kind in ("first", "replay"):
            rps, p50, p99, errors = [], [], [], 0
            for r in range(1, rounds + 1):
                pair = [wrk_result(f"{work}/round-{r}-{level}-{topology}-{kind}-{i}.txt") for i in "ab"]
                rps.append(sum(w["rps"] for w in pair))
                p50.append(max(w["p50"] for w in pair))
                p99.append(max(w["p99"] for w in pair))
                errors += sum(w["errors"] for w in pair)
            row = (statistics.median(rps), statistics.median(p50), statistics.median(p99))
            print(f"{level:>11} {topology:<9} {kind:<8} {row[0]:>8.0f} {row[1]:>8.2f} {row[2]:>8.2f} {errors:>8}")
            csv.append(f"{level},{topology},{kind},{row[0]:.0f},{row[1]:.3f},{row[2]:.3f},{errors}")
print()
print("Keys on each shard after the run: " + ", ".join(line.split()[1] for line in open(f"{work}/keys-by-shard.txt")))
open(f"{curves}/growth-cluster.csv", "w").write("\n".join(csv) + "\n")
PY

bash "$BENCH/plot-curves.sh"
