"""Reads the wrk outputs and Redis command counts of bench/run.sh and prints the result table."""
import os
import platform
import re
import statistics
import subprocess
import sys

work, rounds, threads, connections, duration = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
NAMES = {"a": "(a) idempotency disabled", "b": "(b) unique key per request", "c": "(c) one key replayed",
         "d": "(d) unique keys, in-memory", "e": "(e) unique keys, JDBC", "f": "(f) one key replayed, JDBC",
         "g": "(g) floor, unique keys", "h": "(h) floor, one key replayed",
         "i": "(i) WebFlux, disabled", "j": "(j) WebFlux, unique keys", "k": "(k) WebFlux, one key replayed",
         "l": "(l) WebFlux floor, unique keys", "m": "(m) WebFlux floor, replayed",
         "n": "(n) JDBC floor, unique keys", "o": "(o) JDBC floor, replayed"}
CONFIGS = "".join(c for c in "abcdefghijklmno" if os.path.exists(os.path.join(work, "round-1-%s.txt" % c)))


def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    latency = {}
    for percentile in ("50", "99"):
        value, unit = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)\s*$" % percentile, text, re.M).groups()
        latency[percentile] = float(value) * UNITS[unit]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    socket_errors = re.search(r"Socket errors:.*", text)
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    cpu_us = alloc = float("nan")
    jvm = path[:-len(".txt")] + ".jvm"
    if os.path.exists(jvm) and requests:
        ticks, allocated, hz = (float(v) for v in open(jvm).read().split())
        cpu_us = ticks / hz * 1e6 / requests
        alloc = allocated / requests
    return (rps, latency["50"], latency["99"], int(errors.group(1)) if errors else 0,
            socket_errors.group(0) if socket_errors else "", cpu_us, alloc)


results = {}
for config in CONFIGS:
    runs = [parse(os.path.join(work, "round-%d-%s.txt" % (r, config))) for r in range(1, rounds + 1)]
    results[config] = {
        "rps": statistics.median(r[0] for r in runs),
        "p50": statistics.median(r[1] for r in runs),
        "p99": statistics.median(r[2] for r in runs),
        "errors": sum(r[3] for r in runs),
        "socket": [r[4] for r in runs if r[4]],
        "cpu": statistics.median(r[5] for r in runs),
        "alloc": statistics.median(r[6] for r in runs),
    }

cpu = "unknown CPU"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
redis = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.split()[2]

print()
print("POST /payments, wrk -t%s -c%s -d%s, median of %d rotated rounds" % (threads, connections, duration, rounds))
print("machine: %d cores (%s), %s, %s, Redis %s on loopback" % (os.cpu_count(), cpu, platform.system(), java, redis))
print()
print("%-30s %12s %10s %10s %10s %12s %12s" % ("configuration", "requests/s", "p50 ms", "p99 ms", "non-2xx",
                                              "JVM CPU us", "alloc B"))
for config in CONFIGS:
    r = results[config]
    print("%-30s %12.0f %10.3f %10.3f %10d %12.0f %12.0f" % (NAMES[config], r["rps"], r["p50"], r["p99"], r["errors"],
                                                           r["cpu"], r["alloc"]))
print("(JVM CPU us and alloc B: per request, from /proc/<pid>/stat and jvm_gc_memory_allocated_bytes_total)")

def ratio(x, y, key="rps"):
    return results[x][key] / results[y][key]


def target(label, value, holds, goal):
    print("%-58s %8.3f   target %-8s %s" % (label, value, goal, "met" if holds else "MISSED"))


def added_cpu(door, floor, off):
    """The JVM CPU a door adds per request over idempotency off, against what its floor adds."""
    return (results[door]["cpu"] - results[off]["cpu"]) / (results[floor]["cpu"] - results[off]["cpu"])


print()
have = set(CONFIGS)
if {"a", "b", "c", "d"} <= have:
    a, b, c, d = results["a"], results["b"], results["c"], results["d"]
    print("throughput b/a = %.3f, c/a = %.3f, d/a = %.3f (in-memory store: the starter without Redis)"
          % (b["rps"] / a["rps"], c["rps"] / a["rps"], d["rps"] / a["rps"]))
    print("added p99: b-a = %+.3f ms, c-a = %+.3f ms" % (b["p99"] - a["p99"], c["p99"] - a["p99"]))
    print()
print("Each door against its floor:")
if {"a", "b", "c", "g", "h"} <= have:
    target("Spring MVC first request, throughput b/g", ratio("b", "g"), ratio("b", "g") >= 0.95, ">= 0.95")
    target("Spring MVC first request, added JVM CPU (b-a)/(g-a)", added_cpu("b", "g", "a"),
           added_cpu("b", "g", "a") <= 1.2, "<= 1.2")
    target("Spring MVC replay, throughput c/h", ratio("c", "h"), ratio("c", "h") >= 1.0, ">= 1.0")
    target("Spring MVC replay, JVM CPU c/a (replay against off)", ratio("c", "a", "cpu"), ratio("c", "a", "cpu") < 1.0,
           "< 1.0")
if {"i", "j", "k", "l", "m"} <= have:
    target("WebFlux first request, throughput j/l", ratio("j", "l"), ratio("j", "l") >= 0.95, ">= 0.95")
    target("WebFlux first request, allocation j/l", ratio("j", "l", "alloc"), ratio("j", "l", "alloc") <= 1.2, "<= 1.2")
    target("WebFlux replay, throughput k/m", ratio("k", "m"), ratio("k", "m") >= 1.0, ">= 1.0")
    print("WebFlux: JVM CPU per request i = %.0f us, j = %.0f us, k = %.0f us, l = %.0f us, m = %.0f us"
          % tuple(results[x]["cpu"] for x in "ijklm"))
if {"e", "f", "n", "o"} <= have:
    target("JDBC first request, throughput e/n", ratio("e", "n"), ratio("e", "n") >= 0.95, ">= 0.95")
    target("JDBC replay, throughput f/o", ratio("f", "o"), ratio("f", "o") >= 1.0, ">= 1.0")
    if "a" in have:
        print("JDBC: JVM CPU per request a = %.0f us, e = %.0f us, n = %.0f us; added (e-a)/(n-a) = %.2f"
              % (results["a"]["cpu"], results["e"]["cpu"], results["n"]["cpu"], added_cpu("e", "n", "a")))
if os.path.getsize(os.path.join(work, "commands.txt")):
    print()
    print("Redis round trips per request (client commands seen by MONITOR; commands inside scripts excluded):")
    print(open(os.path.join(work, "commands.txt")).read().rstrip())
if os.path.exists(os.path.join(work, "statements.txt")):
    print()
    print("SQL statements per request on the JDBC store (transactions of the bench database, each statement its own):")
    print(open(os.path.join(work, "statements.txt")).read().rstrip())
for config in CONFIGS:
    if results[config]["errors"] or results[config]["socket"]:
        print("WARNING: %s had %d non-2xx responses %s" % (NAMES[config], results[config]["errors"], results[config]["socket"]))
