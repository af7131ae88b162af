#!/usr/bin/env bash
# oneDNN's instruction-set cap: short training runs of each method with DNNL_MAX_CPU_ISA=AVX2 (the launcher's cap on AMD
# CPUs, README "Known issues") and ALL (oneDNN's own choice), alternated in one run, side by side. Run it alone.
# Env: METHODS ("supervised classmix memory-bank"), ITERATIONS (300), ROUNDS (1), OUT (bench/out/isa), CONFIG (empty:
# the built-in demo; e.g. configs/camvid.yaml), SET (more --set arguments, space-separated), ISAS ("AVX2 ALL").
# Prints per method and cap: the median compute time per step over the logged intervals after the first, the steps
# that were retried or skipped (the transient faults), the last validation mIoU and the peak resident memory, and the
# ratio of the first cap's time to each other's.
set -euo pipefail
cd "$(dirname "$0")/../.."
METHODS=${METHODS:-"supervised classmix memory-bank"}
ITERATIONS=${ITERATIONS:-300}
ROUNDS=${ROUNDS:-1}
OUT=${OUT:-bench/out/isa}
CONFIG=${CONFIG:-}
SET=${SET:-}
ISAS=${ISAS:-"AVX2 ALL"}
extra=()
[ -n "$CONFIG" ] && extra+=(--config "$CONFIG")
for kv in $SET; do extra+=(--set "$kv"); done
[ -x /usr/bin/time ] || { echo "bench/isa: needs GNU time (/usr/bin/time)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
./semiseg --version >/dev/null   # builds the jar first, outside the measured runs
grep -m1 "model name" /proc/cpuinfo | sed 's/.*: /cpu: /'
for r in $(seq 1 "$ROUNDS"); do
  for m in $METHODS; do
    for isa in $ISAS; do
      run="$OUT/$m-$isa-r$r"
      echo "== round $r: $m, DNNL_MAX_CPU_ISA=$isa" >&2
      DNNL_MAX_CPU_ISA=$isa SEMISEG_THREADS=2 /usr/bin/time -f "%M" -o "$run.rss" \
        ./semiseg train --out "$run" --set method.name="$m" --set train.iterations="$ITERATIONS" \
        --set train.checkpoint_every=100000 "${extra[@]}" >"$run.log" 2>&1 \
        || echo "bench/isa: $run failed (exit $?; its log: $run.log); its steps are still timed" >&2
    done
  done
done
/usr/bin/python3 - "$OUT" "$ROUNDS" "$ISAS" $METHODS <<'PY'
import json, statistics, sys
out, rounds, isas, methods = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), sys.argv[4:]
def measure(run):
    rows = [json.loads(l) for l in open(f"{out}/{run}/metrics.jsonl")]
    ms = [r["compute_ms"] for r in rows if "compute_ms" in r][1:]   # the first interval holds the warm-up
    faults = sum(1 for r in rows if r.get("retried") or r.get("skipped"))
    val = [100 * r["eval"]["mIoU"] for r in rows if "eval" in r and r["eval"].get("split") == "val"]
    rss = int(open(f"{out}/{run}.rss").read().split()[-1]) / 1024
    return statistics.median(ms), faults, (val[-1] if val else float("nan")), rss
print("| method | round | " + " | ".join(f"{i}: ms/step (faulty steps, val mIoU, peak MiB)" for i in isas)
      + " | " + " | ".join(f"{isas[0]} / {i}" for i in isas[1:]) + " |")
print("|---|---|" + "---|" * (2 * len(isas) - 1))
for m in methods:
    for r in range(1, rounds + 1):
        got = [measure(f"{m}-{i}-r{r}") for i in isas]
        cells = [f"{ms:.1f} ({f}, {v:.2f}, {rss:.0f})" for ms, f, v, rss in got]
        ratios = [f"{got[0][0] / g[0]:.2f}" for g in got[1:]]
        print(f"| {m} | {r} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
PY
