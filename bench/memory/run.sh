#!/usr/bin/env bash
# Resident memory over a long demo run (issue 5): the JVM's RSS (from /proc/PID/status) sampled every logged
# iteration; prints the RSS at iteration 100 and at the last iteration, and their ratio.
#
#   bench/memory/run.sh                               # memory-bank, 2000 iterations
#   METHOD=supervised ITERATIONS=3000 bench/memory/run.sh
#
# Samples go to bench/out/memory/rss.csv (iteration, rss_mib), the summary to bench/out/memory/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
method="${METHOD:-memory-bank}"
iterations="${ITERATIONS:-2000}"
out=bench/out/memory
rm -rf "$out"
mkdir -p "$out"
./semiseg --version >/dev/null
./semiseg train --out "$out/run" --set "method.name=$method" --set "train.iterations=$iterations" \
  --set train.log_every=10 --set train.eval_every=500 > "$out/train.log" 2>&1 &
pid=$!
python3 - "$pid" "$out/run/metrics.jsonl" "$out/rss.csv" "$iterations" <<'PY'
import json, os, sys, time
pid, metrics, csv, iterations = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
def rss_mib():
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
seen = -1
with open(csv, "w") as out:
    out.write("iteration,rss_mib\n")
    while True:
        try:
            rss = rss_mib()
        except (FileNotFoundError, ProcessLookupError):
            break
        it = -1
        try:
            with open(metrics) as f:
                for line in f:
                    r = json.loads(line)
                    if "loss" in r:
                        it = r["iter"]
        except (FileNotFoundError, ValueError):
            pass
        if it > seen and rss is not None:
            out.write("%d,%.1f\n" % (it, rss))
            out.flush()
            seen = it
        time.sleep(0.2)
PY
wait "$pid"
python3 - "$out/rss.csv" "$out/summary.txt" "$method" "$iterations" <<'PY'
import sys
rows = [tuple(map(float, l.split(","))) for l in open(sys.argv[1]).read().split("\n")[1:] if l]
at100 = next(r for r in rows if r[0] >= 100)
last = rows[-1]
peak = max(r[1] for r in rows if r[0] >= 100)
text = ("method %s, %d iterations\nRSS at iteration %d: %.0f MiB\nRSS at iteration %d: %.0f MiB\n"
        "ratio last / 100: %.3f\npeak after iteration 100: %.0f MiB\n") % (
    sys.argv[3], int(sys.argv[4]), at100[0], at100[1], last[0], last[1], last[1] / at100[1], peak)
open(sys.argv[2], "w").write(text)
print(text, end="")
PY
