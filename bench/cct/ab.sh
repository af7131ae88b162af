#!/usr/bin/env bash
# Issue 20: the CamVid grid's cct step at two commits, alternated, short runs (40 iterations), each allocator mode;
# prints compute ms/step (median of the logged intervals after the first) and peak RSS, and whether the two commits'
# logged terms agree to the last digit (timings aside).
#   bench/cct/ab.sh BASE [HEAD]        # e.g. bench/cct/ab.sh c10af06~1: the one-pass version against the checkout
# Env: ROUNDS (2), MODES ("glibc tuned"), IT (40), OUT (bench/out/cct-ab). Needs CamVid at ../shared/data/camvid.
# Run it alone: another PyTorch process on the two cores slows both sides.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
base=${1:?usage: bench/cct/ab.sh BASE [HEAD]}
head=${2:-}
OUT=${OUT:-bench/out/cct-ab}
rm -rf "$OUT" && mkdir -p "$OUT"
out=$(cd "$OUT" && pwd)
side() {  # side NAME COMMIT: a detached worktree beside this checkout (configs read ../shared from there)
  local dir="$repo/../semiseg-ab-$1"
  git worktree remove --force "$dir" 2>/dev/null || true
  git worktree add --detach "$dir" "$2" >/dev/null
  (cd "$dir" && ./semiseg --version >/dev/null)
  echo "$dir"
}
old=$(side base "$base")
if [ -n "$head" ]; then new=$(side head "$head"); else new=$repo; ./semiseg --version >/dev/null; fi
for r in $(seq 1 "${ROUNDS:-2}"); do
  for v in base head; do
    if [ $v = base ]; then d=$old; else d=$new; fi
    for mode in ${MODES:-glibc tuned}; do
      run=$out/$v-$mode-r$r
      (cd "$d" && SEMISEG_MALLOC=$mode SEMISEG_THREADS=2 /usr/bin/time -f "%M" -o "$run.rss" ./semiseg train \
        --config configs/camvid.yaml --out "$run" --set data.resize=0.25 --set 'augment.crop=[90,120]' \
        --set train.class_balancing=true --set method.name=cct --set train.iterations="${IT:-40}" \
        --set train.eval_every=100000 --set train.checkpoint_every=100000 >"$run.log" 2>&1) || echo "$run failed" >&2
    done
  done
done
python3 - "$out" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
def terms(run):
    rows = []
    for line in open(f"{run}/metrics.jsonl"):
        d = json.loads(line)
        for k in [k for k in d if k.endswith("_ms") or k == "images_per_s"]:
            d.pop(k)
        if isinstance(d.get("eval"), dict):
            d["eval"].pop("seconds", None)
        rows.append(json.dumps(d, sort_keys=True))
    return rows
runs = sorted(p for p in glob.glob(f"{out}/*-r*") if os.path.isdir(p))
for run in runs:
    steps = [json.loads(l) for l in open(f"{run}/metrics.jsonl") if '"compute_ms"' in l]
    ms = statistics.median(s["compute_ms"] for s in steps[1:])
    peak = int(open(f"{run}.rss").read()) >> 10
    print(f"{os.path.basename(run):16s} compute ms/step {ms:8.1f} (median of {len(steps) - 1}), peak {peak} MiB")
first = terms(runs[0])
same = all(terms(r) == first for r in runs)
print("logged terms identical across commits and modes:", same)
PY
git worktree remove --force "$old" >/dev/null
[ -n "$head" ] && git worktree remove --force "$new" >/dev/null || true
