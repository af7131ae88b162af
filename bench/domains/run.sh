#!/usr/bin/env bash
# Issue 21's evidence for several domains: CamVid (50 labeled images) and the built-in demo (1/8 labeled), two domains
# with disjoint classes on one shared encoder (cct, configs/camvid-demo-domains.yaml), against each domain trained
# alone at the same budget (the same iterations, batch size, crop and model per domain), split seed by split seed.
# CamVid at the scale of the CamVid grids (bench/grids/camvid-views.yaml: resize 0.25, whole 90x120 images) so a
# run fits this machine; each domain's model is chosen on its own val split (the two-domain run: on the mean of the
# domains' val mIoU, as it trains) and reported on CamVid's test split and the demo's val split (it has no test).
#
#   bench/domains/run.sh               # seeds 1 2 3; finished runs are kept, a cut run resumes
#   SEEDS="1" bench/domains/run.sh
#
# Runs land in bench/out/domains/<both|camvid|demo>-s<seed>/ (log beside each), the table in
# bench/results/domains.md. Run it alone on the machine, as any grid.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

seeds="${SEEDS:-1 2 3}"
out="bench/out/domains"
mkdir -p "$out"
./semiseg --version >/dev/null   # build the jar first when sources changed

# trains RUN with ARGS..., or resumes it when it was cut; a finished run (its eval.json, written when training ends)
# is kept, and a run cut before its first checkpoint starts again
train() {
  local run="$1"; shift
  if [ -f "$run/eval.json" ]; then
    echo "== $run: finished, kept" >&2
    return
  fi
  local args=("$@")
  if [ -d "$run/checkpoints/last" ]; then
    # a resumed run reads its own config.yaml: drop --config, keep the (same) --set keys
    args=()
    while [ $# -gt 0 ]; do
      if [ "$1" = --config ]; then shift 2; continue; fi
      args+=("$1"); shift
    done
    args+=(--resume)
    echo "== $run: resuming" >&2
  else
    if [ -e "$run/config.yaml" ]; then
      args+=(--force)   # cut before its first checkpoint: nothing to resume
    fi
    echo "== $run: training" >&2
  fi
  if ! ./semiseg train "${args[@]}" --out "$run" >>"$run.log" 2>&1; then
    echo "== $run: training failed, see $run.log" >&2
    exit 1
  fi
}

# evaluates RUN's best checkpoint on SPLIT (and DOMAIN of a two-domain run) into RUN/test-NAME/eval.json
evaluate() {
  local run="$1" split="$2" name="$3"; shift 3
  if [ ! -f "$run/test-$name/eval.json" ] && [ ! -f "$run/test-$name/eval-$name.json" ]; then
    if ! ./semiseg evaluate --run "$run" --split "$split" --out "$run/test-$name" "$@" >>"$run.log" 2>&1; then
      echo "== $run: evaluation on $split failed, see $run.log" >&2
      exit 1
    fi
  fi
}

for s in $seeds; do
  both="$out/both-s$s"
  train "$both" --config configs/camvid-demo-domains.yaml --set seed="$s" --set data.split_seed="$s" \
    --set "data.domains=[{name: camvid, dataset: camvid, root: ../shared/data/camvid, labeled: \"50\", split_seed: $s, resize: 0.25, crop: [90, 120]}, {name: demo, dataset: demo, labeled: \"1/8\", split_seed: $s, crop: null}]"
  evaluate "$both" test camvid --domain camvid
  evaluate "$both" val demo --domain demo

  camvid="$out/camvid-s$s"
  train "$camvid" --config configs/camvid.yaml --set method.name=cct --set data.labeled=50 --set seed="$s" \
    --set data.split_seed="$s" --set data.resize=0.25 --set 'augment.crop=[90, 120]'
  evaluate "$camvid" test camvid

  demo="$out/demo-s$s"
  train "$demo" --config configs/camvid-demo-domains.yaml --set 'data.domains=[]' --set method.cct.object_classes=null \
    --set seed="$s" --set data.split_seed="$s"
  evaluate "$demo" val demo
done

/usr/bin/python3 - "$out" bench/results/domains.md <<'PY'
import json, os, re, statistics, sys
out, target = sys.argv[1], sys.argv[2]
# every seed with a run so far, not only this call's SEEDS
seeds = sorted({m.group(1) for d in os.listdir(out) for m in [re.match(r"^(?:both|camvid|demo)-s(\d+)$", d)] if m}, key=int)

def miou(run, name):
    for f in ("eval.json", "eval-%s.json" % name):
        p = os.path.join(out, run, "test-" + name, f)
        if os.path.exists(p):
            return 100 * json.load(open(p))["mIoU"]
    return None

rows, diffs = [], {"camvid": [], "demo": []}
for s in seeds:
    both_c, both_d = miou("both-s" + s, "camvid"), miou("both-s" + s, "demo")
    alone_c, alone_d = miou("camvid-s" + s, "camvid"), miou("demo-s" + s, "demo")
    fmt = lambda v: "-" if v is None else "%.2f" % v
    rows.append("| %s | %s | %s | %s | %s |" % (s, fmt(alone_c), fmt(both_c), fmt(alone_d), fmt(both_d)))
    if both_c is not None and alone_c is not None:
        diffs["camvid"].append(both_c - alone_c)
    if both_d is not None and alone_d is not None:
        diffs["demo"].append(both_d - alone_d)

def summary(d):
    if not d:
        return "-"
    if len(d) < 2:
        return "%+.2f (n = 1)" % d[0]
    return "%+.2f ± %.2f (n = %d; %s)" % (statistics.mean(d), statistics.stdev(d), len(d), ", ".join("%+.2f" % x for x in d))

with open(target, "w") as f:
    f.write("# Several domains: CamVid (50 labeled) + the demo (1/8) on one encoder, against each alone (issue 21)\n\n")
    f.write("Command: `bench/domains/run.sh` (cct; CamVid at a quarter of its resolution, whole 90x120 images; "
            "the demo's 64x64 scenes whole; 2,000 iterations of 8 labeled + 8 unlabeled images per domain; "
            "configs/camvid-demo-domains.yaml and configs/camvid.yaml). mIoU in percent of the best checkpoint on val: "
            "CamVid on its test split, the demo on its val split (it has no other).\n\n")
    f.write("| seed (split) | CamVid alone | CamVid, two domains | demo alone | demo, two domains |\n|---|---|---|---|---|\n")
    f.write("\n".join(rows) + "\n\n")
    f.write("Two domains minus alone, paired by seed (mean ± sample sd): CamVid %s; demo %s.\n"
            % (summary(diffs["camvid"]), summary(diffs["demo"])))
print("wrote " + target)
PY
