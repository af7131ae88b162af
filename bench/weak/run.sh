#!/usr/bin/env bash
# Issue 21's CamVid evidence for image-level labels: make the pseudo-masks of each labeled split (semiseg weak, at
# the scale of bench/grids/camvid-weak.yaml), write their quality against the true masks, then run that grid.
#
#   bench/weak/run.sh                   # splits 1 2 3, then the grid (it resumes like any grid)
#   SEEDS="1" bench/weak/run.sh         # the masks of split 1 (the grid runs once splits 1-3 have theirs)
#   MASKS_ONLY=1 bench/weak/run.sh      # the masks and their table, no grid
#
# Masks land in bench/out/camvid-weak-masks/s<seed>/ (with preview.png and weak.json; a folder that holds them is
# kept), their table in bench/results/camvid-weak/masks.md. Run it alone on the machine, as any grid.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

seeds="${SEEDS:-1 2 3}"
masks="bench/out/camvid-weak-masks"
results="bench/results/camvid-weak"
mkdir -p "$masks" "$results"
./semiseg --version >/dev/null   # build the jar first when sources changed

for s in $seeds; do
  out="$masks/s$s"
  if [ -f "$out/weak.json" ]; then
    echo "== split $s: $out holds pseudo-masks, kept" >&2
    continue
  fi
  echo "== split $s: semiseg weak -> $out" >&2
  # the grid's scale and split keys (bench/grids/camvid-weak.yaml), so that its runs accept these masks
  ./semiseg weak --config configs/camvid.yaml --set data.resize=0.25 --set 'augment.crop=[90, 120]' \
    --set data.labeled=1/8 --set seed="$s" --set data.split_seed="$s" --set data.weak=all --out "$out" --force \
    2>&1 | tee "$masks/s$s.log" | { grep -v '^\[W' || true; } >&2
done

/usr/bin/python3 - "$masks" "$results/masks.md" <<'PY'
import json, os, re, sys
masks, target = sys.argv[1], sys.argv[2]
# every split made so far, not only this call's SEEDS
seeds = sorted({m.group(1) for d in os.listdir(masks) for m in [re.match(r"^s(\d+)$", d)] if m}, key=int)
rows = []
for s in seeds:
    path = os.path.join(masks, "s" + s, "weak.json")
    if not os.path.exists(path):
        continue
    r = json.load(open(path))
    t, n = r.get("truth") or {}, r.get("truthWithoutCrf") or {}
    pct = lambda v: "-" if v is None else "%.2f" % (100 * v)
    rows.append("| %s | %d | %d | %s | %s | %s | %s | %s | %.0f |" % (
        s, r["images"], r["labeledImages"], pct(r["labeledShare"]), pct(t.get("mIoU")), pct(t.get("coverage")),
        pct(n.get("mIoU")), pct(n.get("coverage")), r["classifier"]["seconds"]))
with open(target, "w") as f:
    f.write("# Pseudo-masks from tags on CamVid, per labeled split (issue 21)\n\n")
    f.write("Command: `bench/weak/run.sh` (`semiseg weak` on `configs/camvid.yaml` at the scale of "
            "`bench/grids/camvid-weak.yaml`: resize 0.25, crops 90x120, 1/8 pixel labels, `data.weak: all`).\n\n")
    f.write("mIoU against the true masks over the pixels both label, and coverage (the truly labeled pixels the "
            "pseudo-masks label), with and without the dense CRF; percent.\n\n")
    f.write("| split | tagged images | labeled images | pixels labeled | mIoU | coverage | mIoU without CRF | "
            "coverage without CRF | classifier seconds |\n|---|---|---|---|---|---|---|---|---|\n")
    f.write("\n".join(rows) + "\n")
print("wrote " + target)
PY

if [ "${MASKS_ONLY:-0}" = 1 ]; then
  exit 0
fi
for s in 1 2 3; do   # the grid's seeds
  if [ ! -f "$masks/s$s/weak.json" ]; then
    echo "== the grid needs the pseudo-masks of splits 1 2 3; split $s has none yet (run without SEEDS)" >&2
    exit 0
  fi
done
./semiseg bench bench/grids/camvid-weak.yaml
