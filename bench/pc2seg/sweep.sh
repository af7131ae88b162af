#!/usr/bin/env bash
# Issue 19: the small sweep that sets pc2seg's defaults. Each key moves alone away from the provisional defaults
# (configs/demo.yaml, method.pc2seg) on the demo at 1/8 with class balancing on, as the method tables; the seeds are
# the labeled splits; one thread per run and JOBS runs side by side (two on this machine's two cores).
#
#   bench/pc2seg/sweep.sh                        # every variant below, seeds 1 2 3
#   VARIANTS="default tau-0.1" SEEDS="1" bench/pc2seg/sweep.sh
#
# Runs land in bench/out/methods-pc2seg-sweep-<variant>/pc2seg-s<seed>/, the table in
# bench/results/pc2seg-demo-sweep.md: final val mIoU per seed, each variant minus the default paired by seed, and the
# false-negative share. Run it alone (it stops nothing else).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

declare -A SET=(
  [default]=""
  [contrast-0.5]="method.pc2seg.weights.contrast=0.5"
  [contrast-1]="method.pc2seg.weights.contrast=1"
  [consistency-0.5]="method.pc2seg.weights.consistency=0.5"
  [consistency-2]="method.pc2seg.weights.consistency=2"
  [tau-0.1]="method.pc2seg.temperature=0.1"
  [negatives-200]="method.pc2seg.num_negatives=200"
  [dim-16]="method.pc2seg.dim=16"     # the projection width; the default is 128 x model.width = 32 on the demo
  [dim-64]="method.pc2seg.dim=64"
)
variants="${VARIANTS:-default contrast-0.5 contrast-1 consistency-0.5 consistency-2 tau-0.1 negatives-200 dim-16 dim-64}"
seeds="${SEEDS:-1 2 3}"
jobs="${JOBS:-2}"
mkdir -p bench/out/pc2seg-sweep
./semiseg --version >/dev/null   # build the jar once, before runs start side by side

run_variant() {
  local v="$1"
  local args=(--set train.class_balancing=true)
  if [ -n "${SET[$v]}" ]; then
    args+=(--set "${SET[$v]}")
  fi
  SEMISEG_THREADS=1 METHODS=pc2seg SEEDS="$seeds" NAME="pc2seg-sweep-$v" RESULTS="bench/out/pc2seg-sweep/$v.md" \
    bench/methods/run.sh "${args[@]}" >"bench/out/pc2seg-sweep/$v.log" 2>&1 || echo "== $v: a run failed (bench/out/pc2seg-sweep/$v.log)" >&2
}

for v in $variants; do   # every name checked before anything starts
  if [ -z "${SET[$v]+set}" ]; then
    echo "unknown variant $v (known: ${!SET[*]})" >&2
    exit 2
  fi
done
running=0
for v in $variants; do
  echo "== $v" >&2
  run_variant "$v" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true

/usr/bin/python3 bench/methods/variants.py bench/results/pc2seg-demo-sweep.md --title "pc2seg: the defaults' sweep on the demo (issue 19)" \
  --about "Command: \`bench/pc2seg/sweep.sh\` (VARIANTS=$variants, SEEDS=$seeds): \`pc2seg\` on the demo, 1/8 labeled, 1,500 iterations, \`train.class_balancing=true\`, one thread per run, each key moved alone from the provisional defaults (the script lists each variant's \`--set\`). Final val mIoU in percent. False negatives: the share of drawn negatives with their anchor's pseudo-label, mean of the logged values from iteration 500." \
  --runs "bench/out/methods-pc2seg-sweep-{v}/pc2seg-s{s}" --variants "$variants" --seeds "$seeds" \
  --metric false_negative_share --metric-label "false-negative share" --metric-from 500
