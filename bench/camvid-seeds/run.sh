#!/usr/bin/env bash
# Issue 17's "why": how far one CamVid run moves with its training seed alone, the labeled split held. The grid
# (bench/grids/camvid-views.yaml) ties the training seed to the split (seed s trains on split s), so a paired gain of
# one split mixes the split with the run's own luck; this measures the luck. Each run trains from the grid cell's own
# config.yaml (its settings and data.split_seed; another method's cell of the split if its own folder is gone) with
# another training seed; the best-on-val checkpoint is tested on CamVid's test split, as the grid does. GRID_OUT: the
# grid's run folders (bench/out/camvid-views); the grid's own figure comes from bench/results/camvid-views/results.json.
#   bench/camvid-seeds/run.sh                               # supervised and unimatch on split 1, training seeds 2 and 3
#   METHODS=supervised SPLIT=2 SEEDS="2 3 4" bench/camvid-seeds/run.sh
#   METHODS=supervised TAG=uniweak SET=augment.labeled=unimatch-weak bench/camvid-seeds/run.sh   # a grid variant
#     (TAG names it as the grid does, METHOD@TAG; SET: its keys, space-separated KEY=VALUE, as in the grid's group)
# Runs land in bench/out/camvid-seeds/<method>-split<S>-seed<T>/ (a finished one is skipped, a stopped one resumes);
# the table (with the grid's seed-equals-split run beside it, every method run on the split) in
# bench/out/camvid-seeds/table.md. Run it alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
METHODS=${METHODS:-"supervised unimatch"}
SPLIT=${SPLIT:-1}
SEEDS=${SEEDS:-"2 3"}
GRID_OUT=${GRID_OUT:-bench/out/camvid-views}
TAG=${TAG:-}
SET=${SET:-}
[ -z "$SET" ] || [ -n "$TAG" ] || { echo "bench/camvid-seeds: SET needs a TAG to name the variant" >&2; exit 2; }
sets=()
for kv in $SET; do sets+=(--set "$kv"); done
names=()   # each method's run name, METHOD or METHOD@TAG, as the grid names it
for m in $METHODS; do names+=("$m${TAG:+@$TAG}"); done
OUT=bench/out/camvid-seeds
mkdir -p "$OUT"
./semiseg --version >/dev/null
for name in "${names[@]}"; do
  m=${name%@*}
  for t in $SEEDS; do
    run="$OUT/$name-split$SPLIT-seed$t"
    if [ -f "$run/test/eval.json" ]; then echo "== $run: done, skipped" >&2; continue; fi
    echo "== $run" >&2
    if [ -d "$run/checkpoints/last" ]; then   # stopped: --resume takes the run's own config.yaml
      ./semiseg train --out "$run" --resume
    else
      # the grid cell's own config (its split; only the seed changes), else an untagged cell's of the same split with
      # the method named and the variant's SET (untagged cells differ only in method.name; supervised's split 1-3
      # folders were lost)
      cell="$GRID_OUT/$name-1_8-s$SPLIT/config.yaml"
      [ -f "$cell" ] || cell=$(ls "$GRID_OUT"/*-1_8-s"$SPLIT"/config.yaml 2>/dev/null | grep -v @ | head -1 || true)
      [ -n "$cell" ] || { echo "bench/camvid-seeds: no grid cell of split $SPLIT in $GRID_OUT" >&2; exit 2; }
      ./semiseg train --config "$cell" --out "$run" --seed "$t" --force --set method.name="$m" ${sets[@]+"${sets[@]}"}
    fi
    ./semiseg evaluate --run "$run" --split test --out "$run/test" >/dev/null
  done
done
/usr/bin/python3 - "$OUT" "$SPLIT" "${names[@]}" <<'PY'
import json, os, statistics, sys
out, split, methods = sys.argv[1], sys.argv[2], sys.argv[3:]
# every method with runs of this split in OUT, not only this call's: the table keeps the earlier calls' rows
methods += sorted({d.split(f"-split{split}-seed")[0] for d in os.listdir(out) if f"-split{split}-seed" in d} - set(methods))
recorded = json.load(open("bench/results/camvid-views/results.json"))["runs"]
def miou(path):
    return 100 * json.load(open(path))["mIoU"] if os.path.exists(path) else None
lines = [f"Test mIoU on CamVid labeled split {split} (1/8), training seed varied (bench/camvid-seeds/run.sh)\n",
         "| method | grid run (seed = split) | other training seeds | mean ± std over all |", "|---|---|---|---|"]
for m in methods:
    g = next((100 * x["test_miou"] for x in recorded if x["name"] == f"{m}-1_8-s{split}" and x.get("test_miou") is not None), None)
    runs = sorted(d for d in os.listdir(out) if d.startswith(f"{m}-split{split}-seed"))
    others = [(d.rsplit("seed", 1)[1], miou(f"{out}/{d}/test/eval.json")) for d in runs]
    vals = [v for v in [g] + [v for _, v in others] if v is not None]
    spread = f"{statistics.mean(vals):.2f} ± {statistics.stdev(vals):.2f} ({len(vals)})" if len(vals) > 1 else "-"
    lines.append(f"| {m} | {'-' if g is None else f'{g:.2f}'} | "
                 + ", ".join(f"seed {s}: {'-' if v is None else f'{v:.2f}'}" for s, v in others) + f" | {spread} |")
open(f"{out}/table.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
