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
         "i": "(i) WebFlux, disabled", "j": "(j) WebFlux, unique keys", "k": "(k) WebFlux, one key replayed"}
CONFIGS = "".join(c for c in "abcdefghijk" if os.path.exists(os.path.join(work, "round-1-%s.txt" % c)))


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
a, b, c, d = results["a"], results["b"], results["c"], results["d"]
print()
print("throughput b/a = %.3f   (target >= 0.85)" % (b["rps"] / a["rps"]))
print("throughput c/a = %.3f   (target >= 1.00)" % (c["rps"] / a["rps"]))
print("throughput d/a = %.3f   (in-memory store: the starter without Redis)" % (d["rps"] / a["rps"]))
print("added p99: b-a = %+.3f ms, c-a = %+.3f ms   (target < 1 ms)" % (b["p99"] - a["p99"], c["p99"] - a["p99"]))
print()
if "g" in results:
    g, h = results["g"], results["h"]
    print("against the floor: b/g = %.3f, c/h = %.3f   (target >= 0.95)" % (b["rps"] / g["rps"], c["rps"] / h["rps"]))
    print("JVM CPU per replay c = %.0f us, per request with idempotency off a = %.0f us   (target c < a)" % (c["cpu"], a["cpu"]))
    print("allocation against the floor: b/g = %.2f, c/h = %.2f   (target <= 1.5)" % (b["alloc"] / g["alloc"], c["alloc"] / h["alloc"]))
if "e" in results:
    e, f = results["e"], results["f"]
    print("throughput e/a = %.3f, f/a = %.3f   (JDBC store on PostgreSQL)" % (e["rps"] / a["rps"], f["rps"] / a["rps"]))
    print("added p99: e-a = %+.3f ms, f-a = %+.3f ms" % (e["p99"] - a["p99"], f["p99"] - a["p99"]))
if "j" in results:
    i, j, k = results["i"], results["j"], results["k"]
    print("WebFlux: throughput j/i = %.3f, k/i = %.3f; against Spring MVC j/b = %.3f, k/c = %.3f"
          % (j["rps"] / i["rps"], k["rps"] / i["rps"], j["rps"] / b["rps"], k["rps"] / c["rps"]))
    print("WebFlux: JVM CPU per request i = %.0f us, j = %.0f us, k = %.0f us; added p99 j-i = %+.3f ms, k-i = %+.3f ms"
          % (i["cpu"], j["cpu"], k["cpu"], j["p99"] - i["p99"], k["p99"] - i["p99"]))
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
