"""The medians of rotated benchmark rounds: wrk's output (round-<r>-<config>.txt) and the JVM's
counters sampled around it (round-<r>-<config>.jvm: CPU ticks, bytes allocated, ticks per
second), as the bench scripts write them."""
import re
import statistics


def wrk_result(path):
    """What one wrk run printed: requests in all, requests/s, p50 and p99 latency in ms, and the
    non-2xx answers."""
    text = open(path).read()
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    return {"requests": int(re.search(r"(\d+) requests in", text).group(1)),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)),
            "p50": _millis(re.search(r"50%\s+([\d.]+)(us|ms|s)\b", text)),
            "p99": _millis(re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)),
            "errors": int(bad.group(1)) if bad else 0}


def measured(work, rounds, config):
    """Medians over the rounds of one configuration: requests/s, JVM CPU µs per request, KB
    allocated per request, p50 and p99 latency in ms; and the non-2xx answers of all rounds."""
    rps, cpu, alloc, p50, p99, errors = [], [], [], [], [], 0
    for r in range(1, rounds + 1):
        run = wrk_result(f"{work}/round-{r}-{config}.txt")
        errors += run["errors"]
        ticks, allocated, hz = (float(v) for v in open(f"{work}/round-{r}-{config}.jvm").read().split())
        rps.append(run["rps"])
        cpu.append(ticks / hz * 1e6 / run["requests"])
        alloc.append(allocated / run["requests"] / 1024)
        p50.append(run["p50"])
        p99.append(run["p99"])
    return {"rps": statistics.median(rps), "cpu": statistics.median(cpu), "alloc": statistics.median(alloc),
            "p50": statistics.median(p50), "p99": statistics.median(p99), "errors": errors}


def _millis(match):
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
