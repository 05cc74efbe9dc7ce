#!/usr/bin/env bash
# How the JDBC store behaves as its table grows: the sample app on the JDBC store (a PostgreSQL
# database of its own), its table filled to 10 thousand, 100 thousand, 1 million and 10 million
# completed records (copies of a real record of the sample under random keys, expiring within
# the next day, as under steady traffic). At each size:
#  - first requests (a unique key per request) in rotated rounds: the claim's latency as the
#    starter's own timer measures it (idempotency.store, operation=claim, from its Prometheus
#    histogram, the round's buckets only), the request's latency as wrk sees it, and
#    throughput; the rows a round adds are deleted after it, so every round starts at the size;
#  - clean-up: one minute's worth of records at 1,000 a second (60,000) expire at once while
#    wrk keeps sending first requests; the clean-up of the application (every 2 s here, in
#    batches of the default 1,000) deletes them, and its own DEBUG line says how long the run
#    took.
# Writes bench/curves/growth-rows.csv and draws bench/curves/growth-rows.svg with gnuplot.
#
# Knobs (environment):
#   BENCH_ROUNDS=3          measured rounds per size
#   BENCH_DURATION=5s       length of one measured round
#   BENCH_WARMUP=30s        JIT warm-up before the first size, not measured
#   BENCH_THREADS=2, BENCH_CONNECTIONS=4   wrk threads and connections
#   BENCH_ROWS_LIST="10000 100000 1000000 10000000"
#   BENCH_EXPIRED=60000     records that expire at once for the clean-up measurement
#   BENCH_HEAP=512m, BENCH_JAR=path, BENCH_PG_PORT=5432 as for run.sh
set -euo pipefail

ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-5s}
WARMUP=${BENCH_WARMUP:-30s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-4}
EXPIRED=${BENCH_EXPIRED:-60000}
read -r -a LEVELS <<< "${BENCH_ROWS_LIST:-10000 100000 1000000 10000000}"
NEEDS_GNUPLOT=yes
. "$(dirname "$0")/common.sh"
TABLE=idempotency_records
NOW_MS="(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint"

install_missing
build_sample_app
start_redis
start_postgres_database
start_app jdbc "${JDBC_ARGS[@]}" --idempotency.ttl=24h --idempotency.jdbc.cleanup-interval=2s \
  --management.metrics.distribution.percentiles-histogram.idempotency.store=true \
  --management.metrics.distribution.minimum-expected-value.idempotency.store=50us \
  --logging.level.io.github.idempotency.internal.jdbc.JdbcRecordCleanup=DEBUG
PORT=$APP_PORT
LOG=$WORK/jdbc.log
echo "Application $PORT on database $BENCH_DB"

echo "Warming up for $WARMUP"
run_wrk "$PORT" unique-keys.lua "$WARMUP" "$WORK/warmup.txt"
# one completed record of the sample is the template of every row the table is filled with
bench_sql "CREATE TABLE fill_template AS SELECT * FROM $TABLE WHERE state = 'C' LIMIT 1" > /dev/null
[ "$(bench_sql "SELECT COUNT(*) FROM fill_template")" = 1 ] || { echo "The warm-up completed no request" >&2; exit 1; }
bench_sql "TRUNCATE $TABLE" > /dev/null

fill_rows() { # fill_rows <prefix> <from> <to> <expires_at expression over g>: copies of the template
  bench_sql "INSERT INTO $TABLE (storage_key, state, owner_token, fingerprint_end, locked_until, expires_at, record)
    SELECT '$1' || md5(g::text), t.state, t.owner_token, t.fingerprint_end, NULL, $4, t.record
    FROM fill_template t, generate_series($2, $3) g" > /dev/null
}
filled=0
fill_to() { # fill_to <rows>: live records expiring between one hour and one day from now, in chunks of a million
  local to
  while [ "$filled" -lt "$1" ]; do
    to=$(( $1 < filled + 1000000 ? $1 : filled + 1000000 ))
    fill_rows fill: $((filled + 1)) "$to" "$NOW_MS + 3600000 + (g::bigint * 7919) % 82800000"
    filled=$to
    echo "  $filled rows"
  done
  bench_sql "VACUUM ANALYZE $TABLE" > /dev/null
}
remove_round_rows() { bench_sql "DELETE FROM $TABLE WHERE storage_key NOT LIKE 'fill:%'" > /dev/null; }
claims() { curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | grep '^idempotency_store_seconds_bucket{.*operation="claim".*result="success"' || true; }
cleanup_runs() { # the clean-up runs logged since the mark that deleted anything: <records> <ms>
  tail -n +"$((mark + 1))" "$LOG" | sed -n 's/.*Deleted \([1-9][0-9]*\) expired idempotency records .* in \([0-9]*\) ms.*/\1 \2/p'
}
cleaned_up() { [ "$(cleanup_runs | awk '{n += $1} END {print n + 0}')" -ge "$EXPIRED" ]; }

for level in "${LEVELS[@]}"; do
  echo "Filling the table to $level rows"
  fill_to "$level"
  bench_sql "SELECT pg_total_relation_size('$TABLE')" > "$WORK/bytes-$level.txt"
  for ((round = 1; round <= ROUNDS; round++)); do
    echo "Rows $level, round $round/$ROUNDS"
    claims > "$WORK/claims-$level-$round-before.txt"
    run_wrk "$PORT" unique-keys.lua "$DURATION" "$WORK/round-$level-$round.txt"
    claims > "$WORK/claims-$level-$round-after.txt"
    remove_round_rows
  done
  echo "Rows $level, clean-up of $EXPIRED expired records under load"
  bench_sql "VACUUM $TABLE" > /dev/null
  mark=$(wc -l < "$LOG")
  fill_rows "expired-$level:" 1 "$EXPIRED" "$NOW_MS - 1000 - g"
  run_wrk "$PORT" unique-keys.lua "$DURATION" "$WORK/cleanup-$level.txt"
  if ! wait_until 120 cleaned_up; then
    echo "The clean-up did not delete the $EXPIRED expired records at $level rows within 120 s; its log ends with:" >&2
    tail -20 "$LOG" >&2
    exit 1
  fi
  cleanup_runs > "$WORK/cleanup-$level.log"
  remove_round_rows
done

mkdir -p "$BENCH/results" "$CURVES"
PYTHONPATH="$BENCH" python3 - "$WORK" "$ROUNDS" "$DURATION" "$CURVES" "$EXPIRED" "${LEVELS[@]}" <<'PY' | tee "$BENCH/results/growth-rows.txt"
import re, statistics, sys
from wrk_rounds import wrk_result
work, rounds, duration, curves, expired = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
levels = sys.argv[6:]

def buckets(path):
    counts = {}
    for line in open(path):
        le = re.search(r'le="([^"]+)"', line).group(1)
        counts[float("inf") if le == "+Inf" else float(le)] = float(line.rsplit(" ", 1)[1])
    return counts

def quantile(before, after, q):
    """The q-quantile of the observations between two snapshots of a cumulative histogram, in ms,
    interpolated linearly inside its bucket."""
    bounds = sorted(after)
    cumulative = [after[b] - before.get(b, 0.0) for b in bounds]
    target = q * cumulative[-1]
    lower, below = 0.0, 0.0
    for bound, count in zip(bounds, cumulative):
        if count >= target:
            if bound == float("inf"):
                return lower * 1000
            return (lower + (bound - lower) * (target - below) / max(count - below, 1e-9)) * 1000
        lower, below = bound, count
    return float("nan")

print(f"The JDBC store by table size: first requests, {rounds} rounds of {duration} per size, medians; "
      f"clean-up of {expired} records expiring at once, under load")
print()
print(f"{'rows':>10} {'table MB':>9} {'claim p50':>10} {'claim p99':>10} {'req p50':>8} {'req p99':>8} {'req/s':>7} "
      f"{'non-2xx':>8} {'clean-up ms':>12} {'deleted/s':>10}")
csv = ["rows,table_bytes,claim_p50_ms,claim_p99_ms,request_p50_ms,request_p99_ms,requests_per_second,non_2xx,"
       "cleanup_ms,cleanup_rows_per_second"]
for level in levels:
    claim50, claim99, p50, p99, rps, errors = [], [], [], [], [], 0
    for r in range(1, rounds + 1):
        before, after = buckets(f"{work}/claims-{level}-{r}-before.txt"), buckets(f"{work}/claims-{level}-{r}-after.txt")
        claim50.append(quantile(before, after, 0.5))
        claim99.append(quantile(before, after, 0.99))
        run = wrk_result(f"{work}/round-{level}-{r}.txt")
        rps.append(run["rps"]); p50.append(run["p50"]); p99.append(run["p99"]); errors += run["errors"]
    runs = [tuple(map(int, line.split())) for line in open(f"{work}/cleanup-{level}.log") if line.strip()]
    deleted, millis = sum(n for n, _ in runs), sum(ms for _, ms in runs)
    if deleted != expired:
        sys.exit(f"The clean-up logged {deleted} deleted records at {level} rows, not {expired}")
    errors += wrk_result(f"{work}/cleanup-{level}.txt")["errors"]
    size = int(open(f"{work}/bytes-{level}.txt").read())
    rate = deleted / max(millis, 1) * 1000
    row = [statistics.median(v) for v in (claim50, claim99, p50, p99, rps)]
    print(f"{int(level):>10} {size / 1e6:>9.1f} {row[0]:>10.3f} {row[1]:>10.3f} {row[2]:>8.2f} {row[3]:>8.2f} "
          f"{row[4]:>7.0f} {errors:>8} {millis:>12} {rate:>10.0f}")
    csv.append(f"{level},{size},{row[0]:.3f},{row[1]:.3f},{row[2]:.3f},{row[3]:.3f},{row[4]:.0f},{errors},{millis},{rate:.0f}")
print()
print("claim: the starter's idempotency.store timer (operation=claim), ms; req: wrk's request latency, ms")
open(f"{curves}/growth-rows.csv", "w").write("\n".join(csv) + "\n")
PY

bash "$BENCH/plot-curves.sh"
