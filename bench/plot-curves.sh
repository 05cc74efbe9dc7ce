#!/usr/bin/env bash
# Draws the growth curves from the numbers kept in bench/curves/*.csv (written by
# growth-size.sh, growth-concurrency.sh, growth-rows.sh and growth-cluster.sh) as SVG next to them, with gnuplot (installed from
# the distribution when missing). Run it alone to redraw without measuring again.
set -euo pipefail
CURVES=$(cd "$(dirname "$0")" && pwd)/curves
if ! command -v gnuplot >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then sudo() { "$@"; }; fi
  sudo apt-get update -qq && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gnuplot-nox
fi
DATA=$(mktemp -d /tmp/idempotency-curves.XXXXXX)
trap 'rm -rf "$DATA"' EXIT
cd "$CURVES"

# column <csv> <configuration> <columns…>: the rows of one configuration, space-separated
column() { local csv=$1 config=$2; shift 2; awk -F, -v c="$config" -v cols="$*" \
  'BEGIN {n = split(cols, k, " ")} $2 == c {line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? " " : "") $k[i]; print line}' "$csv"; }

if [ -f growth-size.csv ]; then
  for config in off redis-first redis-replay jdbc-first jdbc-replay; do
    column growth-size.csv "$config" 1 4 8 > "$DATA/size-$config.dat"
  done
  gnuplot <<GP
set terminal svg size 720,440 dynamic font "sans,12"
set logscale xy
set grid
set key top left
set xrange [80:2000000]
set xlabel "response body (bytes)"
set output "growth-size-cpu.svg"
set title "JVM CPU per request by response size (POST /statements)"
set ylabel "CPU µs per request"
plot "$DATA/size-off.dat" using 1:2 with linespoints pointtype 7 title "idempotency off", \
     "$DATA/size-redis-first.dat" using 1:2 with linespoints pointtype 7 title "Redis, first request", \
     "$DATA/size-redis-replay.dat" using 1:2 with linespoints pointtype 7 title "Redis, replay", \
     "$DATA/size-jdbc-first.dat" using 1:2 with linespoints pointtype 7 title "PostgreSQL, first request", \
     "$DATA/size-jdbc-replay.dat" using 1:2 with linespoints pointtype 7 title "PostgreSQL, replay"
set output "growth-size-stored.svg"
set title "Bytes one record takes by response size"
set ylabel "bytes"
plot "$DATA/size-redis-first.dat" using 1:3 with linespoints pointtype 7 title "record (Redis value, PostgreSQL column)", \
     "$DATA/size-redis-first.dat" using 1:1 with lines linecolor rgb "gray" title "response body"
GP
fi

if [ -f growth-concurrency.csv ]; then
  for config in off redis-first redis-replay; do
    column growth-concurrency.csv "$config" 1 3 5 > "$DATA/concurrency-$config.dat"
  done
  gnuplot <<GP
set terminal svg size 960,440 dynamic font "sans,12"
set output "growth-concurrency.svg"
set multiplot layout 1,2
set logscale x 2
set grid
set key top left
set xlabel "wrk connections"
set title "Throughput (POST /payments)"
set ylabel "requests per second"
plot "$DATA/concurrency-off.dat" using 1:2 with linespoints pointtype 7 title "idempotency off", \
     "$DATA/concurrency-redis-first.dat" using 1:2 with linespoints pointtype 7 title "Redis, first request", \
     "$DATA/concurrency-redis-replay.dat" using 1:2 with linespoints pointtype 7 title "Redis, replay"
set title "p99 latency"
set ylabel "ms"
set logscale y
plot "$DATA/concurrency-off.dat" using 1:3 with linespoints pointtype 7 title "idempotency off", \
     "$DATA/concurrency-redis-first.dat" using 1:3 with linespoints pointtype 7 title "Redis, first request", \
     "$DATA/concurrency-redis-replay.dat" using 1:3 with linespoints pointtype 7 title "Redis, replay"
unset multiplot
GP
fi
if [ -f growth-rows.csv ]; then
  awk -F, 'NR > 1 {print $1, $3, $4, $5, $6, $10}' growth-rows.csv > "$DATA/rows.dat"
  gnuplot <<GP
set terminal svg size 960,440 dynamic font "sans,12"
set output "growth-rows.svg"
set multiplot layout 1,2
set logscale x 10
set grid
set key top left
set xlabel "rows in the table"
set title "First request on PostgreSQL by table size"
set ylabel "ms"
set logscale y
set yrange [0.1:100]
plot "$DATA/rows.dat" using 1:2 with linespoints pointtype 7 title "claim p50", \
     "$DATA/rows.dat" using 1:3 with linespoints pointtype 7 title "claim p99", \
     "$DATA/rows.dat" using 1:4 with linespoints pointtype 6 title "request p50", \
     "$DATA/rows.dat" using 1:5 with linespoints pointtype 6 title "request p99"
set title "Clean-up under load: expired records deleted per second"
set ylabel "records per second"
set yrange [100:1000000]
plot "$DATA/rows.dat" using 1:6 with linespoints pointtype 7 title "clean-up", \
     "$DATA/rows.dat" using 1:(1000) with lines linecolor rgb "gray" dashtype 2 title "1,000 new records a second"
unset multiplot
GP
fi

if [ -f growth-cluster.csv ]; then
  for topology in single cluster; do for kind in first replay; do
    awk -F, -v t="$topology" -v k="$kind" '$2 == t && $3 == k {print $1, $4, $6}' growth-cluster.csv > "$DATA/cluster-$topology-$kind.dat"
  done; done
  gnuplot <<GP
set terminal svg size 960,440 dynamic font "sans,12"
set output "growth-cluster.svg"
set multiplot layout 1,2
set logscale x 2
set grid
set key top left
set xlabel "wrk connections (half on each of two instances)"
set title "Throughput (POST /payments, two instances)"
set ylabel "requests per second"
plot "$DATA/cluster-single-first.dat" using 1:2 with linespoints pointtype 7 title "one node, first request", \
     "$DATA/cluster-cluster-first.dat" using 1:2 with linespoints pointtype 7 title "3 shards, first request", \
     "$DATA/cluster-single-replay.dat" using 1:2 with linespoints pointtype 6 title "one node, replay", \
     "$DATA/cluster-cluster-replay.dat" using 1:2 with linespoints pointtype 6 title "3 shards, replay"
set title "p99 latency"
set ylabel "ms"
set logscale y
plot "$DATA/cluster-single-first.dat" using 1:3 with linespoints pointtype 7 title "one node, first request", \
     "$DATA/cluster-cluster-first.dat" using 1:3 with linespoints pointtype 7 title "3 shards, first request", \
     "$DATA/cluster-single-replay.dat" using 1:3 with linespoints pointtype 6 title "one node, replay", \
     "$DATA/cluster-cluster-replay.dat" using 1:3 with linespoints pointtype 6 title "3 shards, replay"
unset multiplot
GP
fi

echo "Drew $(ls "$CURVES"/*.svg | tr '\n' ' ')"
