#!/usr/bin/env bash
# Draws the growth curves from the numbers kept in bench/curves/*.csv (written by
# growth-size.sh and growth-concurrency.sh) as SVG next to them, with gnuplot (installed from
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
echo "Drew $(ls "$CURVES"/*.svg | tr '\n' ' ')"
