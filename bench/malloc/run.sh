#!/usr/bin/env bash
# The memory allocator's share of a training step: short demo runs of each method with glibc's default malloc
# (SEMISEG_MALLOC=glibc) and with the launcher's settings (freed memory kept for reuse, huge pages for mmapped
# arrays), alternated in one run, side by side. Run it alone on the machine: other load only ever adds time.
# Env: METHODS ("supervised memory-bank cct"), ITERATIONS (100), ROUNDS (2), THREADS (2), OUT (bench/out/malloc),
# CONFIG (empty: the built-in demo; e.g. configs/camvid.yaml), SET (more --set arguments, space-separated).
# Prints, per method and mode, the median compute time per step over the logged intervals after the first, the
# peak resident memory (GNU time's %M), and the ratio glibc / tuned.
set -euo pipefail
cd "$(dirname "$0")/../.."
METHODS=${METHODS:-"supervised memory-bank cct"}
ITERATIONS=${ITERATIONS:-100}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}
OUT=${OUT:-bench/out/malloc}
CONFIG=${CONFIG:-}
SET=${SET:-}
extra=()
[ -n "$CONFIG" ] && extra+=(--config "$CONFIG")
for kv in $SET; do extra+=(--set "$kv"); done
[ -x /usr/bin/time ] || { echo "bench/malloc: needs GNU time (/usr/bin/time)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
./semiseg --version >/dev/null   # builds the jar first, outside the measured runs
for r in $(seq 1 "$ROUNDS"); do
  for m in $METHODS; do
    for mode in glibc tuned; do
      run="$OUT/$m-$mode-r$r"
      echo "== round $r: $m, malloc $mode" >&2
      SEMISEG_MALLOC=$mode SEMISEG_THREADS=$THREADS /usr/bin/time -f "%M" -o "$run.rss" \
        ./semiseg train --out "$run" --set method.name="$m" --set train.iterations="$ITERATIONS" \
        --set train.checkpoint_every=100000 --set train.eval_every=100000 "${extra[@]}" >"$run.log" 2>&1 \
        || echo "bench/malloc: $run failed (exit $?; its log: $run.log); its steps are still timed" >&2
    done
  done
done
/usr/bin/python3 - "$OUT" "$ROUNDS" $METHODS <<'PY'
import json, statistics, sys
out, rounds, methods = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def measure(run):
    rows = [json.loads(l) for l in open(f"{out}/{run}/metrics.jsonl")]
    ms = [r["compute_ms"] for r in rows if "compute_ms" in r][1:]   # the first interval holds the warm-up
    return statistics.median(ms), int(open(f"{out}/{run}.rss").read().split()[-1]) / 1024
print(f"| method | round | glibc: compute ms/step | tuned: compute ms/step | glibc / tuned | peak RSS glibc, tuned (MiB) |")
print("|---|---|---|---|---|---|")
for m in methods:
    for r in range(1, rounds + 1):
        g, gr = measure(f"{m}-glibc-r{r}")
        t, tr = measure(f"{m}-tuned-r{r}")
        print(f"| {m} | {r} | {g:.1f} | {t:.1f} | {g / t:.2f} | {gr:.0f}, {tr:.0f} |")
PY
