#!/usr/bin/env bash
# What waiting duplicates cost (idempotency.wait-for-in-progress): one POST /payments of the
# sample app that takes BENCH_WAIT_DELAY (sample.payment-delay), and BENCH_WAIT_DUPLICATES
# requests with the same key sent while it runs, which wait for it. Measured for duplicates on
# the same instance (woken when the first settles) and on another instance sharing the store
# (they poll), on Redis and on PostgreSQL (the JDBC store):
#   - store calls per waiting duplicate per second of waiting (the starter's own
#     idempotency_store_seconds_count{operation="claim"} on the waiting instance; on Redis also
#     the commands redis-server counted, INFO commandstats), and
#   - how long after the first request answered its duplicates answered (median, p99, max).
# Tomcat runs 20 threads, fewer than there are duplicates: a wait holds no thread.
# Prints a table and writes it to bench/results/waiting.txt.
#
# Knobs (environment):
#   BENCH_WAIT_ROUNDS=5       measured rounds per configuration (after one unmeasured round)
#   BENCH_WAIT_DUPLICATES=100 duplicates per round
#   BENCH_WAIT_DELAY=3s       how long the first request runs
#   BENCH_JAR=path            run this sample-app jar instead of building the tree
#   BENCH_JDBC=yes            also on the machine's PostgreSQL (127.0.0.1:5432); no leaves it out
set -euo pipefail

ROUNDS=${BENCH_WAIT_ROUNDS:-5}
DUPLICATES=${BENCH_WAIT_DUPLICATES:-100}
DELAY=${BENCH_WAIT_DELAY:-3s}
NEEDS_WRK=no
. "$(dirname "$0")/common.sh"

claims() { # claims <port>: claim calls the instance has made to its store so far
  curl -s "http://127.0.0.1:$1/actuator/prometheus" \
    | awk '/^idempotency_store_seconds_count\{.*operation="claim"/ {sum += $2} END {printf "%.0f", sum}'
}

redis_commands() { # commands redis-server has executed so far (but INFO itself)
  redis-cli -p "$REDIS_PORT" info commandstats \
    | awk -F'[=,:]' '/^cmdstat_/ && $1 != "cmdstat_info" {sum += $3} END {printf "%.0f", sum}'
}

measure() { # measure <store> <placement> <first port> <waiting port>
  local store=$1 placement=$2 first=$3 waiting=$4 round claims_before redis_before
  python3 "$BENCH/waiting.py" "$first" "$waiting" "$DUPLICATES" 0.5 > /dev/null # unmeasured
  for ((round = 1; round <= ROUNDS; round++)); do
    claims_before=$(claims "$waiting")
    redis_before=$( [ "$store" = redis ] && redis_commands || echo 0)
    python3 "$BENCH/waiting.py" "$first" "$waiting" "$DUPLICATES" 0.5 > "$WORK/$store-$placement-$round.json"
    echo "$(( $(claims "$waiting") - claims_before )) $( [ "$store" = redis ] && echo $(( $(redis_commands) - redis_before )) || echo -)" \
      > "$WORK/$store-$placement-$round.calls"
  done
}

install_missing
build_sample_app
start_redis
APP_ARGS=(--idempotency.wait-for-in-progress=30s "--sample.payment-delay=$DELAY" --server.tomcat.threads.max=20)
start_app redis-a --idempotency.store=redis "${APP_ARGS[@]}"; REDIS_A=$APP_PORT
start_app redis-b --idempotency.store=redis "${APP_ARGS[@]}"; REDIS_B=$APP_PORT
echo "Redis: duplicates on the same instance, then on another"
measure redis same "$REDIS_A" "$REDIS_A"
measure redis other "$REDIS_A" "$REDIS_B"
if [ "${BENCH_JDBC:-yes}" != no ]; then
  start_postgres_database
  start_app jdbc-a "${JDBC_ARGS[@]}" "${APP_ARGS[@]}"; JDBC_A=$APP_PORT
  start_app jdbc-b "${JDBC_ARGS[@]}" "${APP_ARGS[@]}"; JDBC_B=$APP_PORT
  echo "PostgreSQL: duplicates on the same instance, then on another"
  measure jdbc same "$JDBC_A" "$JDBC_A"
  measure jdbc other "$JDBC_A" "$JDBC_B"
fi

mkdir -p "$BENCH/results"
python3 - "$WORK" "$ROUNDS" "$DUPLICATES" "$DELAY" <<'EOF' | tee "$BENCH/results/waiting.txt"
import json, statistics, sys
work, rounds, duplicates, delay = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
print(f"{duplicates} duplicates waiting for one {delay} request, 20 Tomcat threads, {rounds} rounds each")
print(f"{'store, duplicates on':32} {'claims/dup/s':>12} {'Redis cmds/dup/s':>16} {'lag p50':>9} {'lag p99':>9} {'lag max':>9} {'replayed':>9}")
for store, label in (("redis", "Redis"), ("jdbc", "PostgreSQL")):
    for placement, where in (("same", "the same instance"), ("other", "another instance")):
        lags, rates, commands, replayed, total = [], [], [], 0, 0
        for r in range(1, rounds + 1):
            try:
                result = json.load(open(f"{work}/{store}-{placement}-{r}.json"))
            except FileNotFoundError:
                break
            claims, redis = open(f"{work}/{store}-{placement}-{r}.calls").read().split()
            waited = result["first_answered"] - result["sent_after_first"]
            lags += result["lags"]
            rates.append(int(claims) / duplicates / waited)
            if redis != "-":
                commands.append(int(redis) / duplicates / waited)
            replayed += result["replayed"]
            total += len(result["statuses"])
        if not lags:
            continue
        lags.sort()
        p = lambda q: lags[min(len(lags) - 1, int(q * len(lags)))] * 1000
        cmds = f"{statistics.median(commands):16.2f}" if commands else f"{'-':>16}"
        print(f"{label + ', ' + where:32} {statistics.median(rates):12.2f} {cmds} {p(0.5):7.0f}ms {p(0.99):7.0f}ms {lags[-1]*1000:7.0f}ms {replayed:>4}/{total}")
EOF
