#!/usr/bin/env bash
# Issue 18's ablation on the demo: u2pl as configured, without L_c (weights.contr=0), and with its unlabeled negatives
# taken from the reliable pixels instead of the unreliable ones (negatives=reliable), so a reader sees what the
# unreliable negatives add. The demo at 1/8 with class balancing on, as the method tables; seeds are the labeled
# splits; one run after another at the launcher's threads.
#
#   bench/u2pl/ablation.sh                      # the three variants, seeds 1 2 3
#   VARIANTS="default nocontr" SEEDS="1" bench/u2pl/ablation.sh
#
# Runs land in bench/out/methods-u2pl-ablation-<variant>/u2pl-s<seed>/ (finished runs are kept, as run.sh does), the
# table in bench/results/u2pl-demo-ablation.md: final val mIoU per seed and each variant minus the default, paired by
# seed. Run it alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

declare -A SET=(
  [default]=""
  [nocontr]="method.u2pl.weights.contr=0"
  [reliable]="method.u2pl.negatives=reliable"
  [alpha-0.16]="method.u2pl.alpha0=0.16"   # not in the default list: alpha_t as counted before 2026-12-07 (from
)                                          # iteration 0, 0.2 at t = 0, so 0.16 falling to 0 after the demo's warm-up)
variants="${VARIANTS:-default nocontr reliable}"
seeds="${SEEDS:-1 2 3}"
for v in $variants; do
  if [ -z "${SET[$v]+set}" ]; then
    echo "unknown variant $v (known: ${!SET[*]})" >&2
    exit 2
  fi
done
for v in $variants; do
  args=(--set train.class_balancing=true)
  [ -n "${SET[$v]}" ] && args+=(--set "${SET[$v]}")
  echo "== $v" >&2
  METHODS=u2pl SEEDS="$seeds" NAME="u2pl-ablation-$v" bench/methods/run.sh "${args[@]}" \
    || echo "== $v: a run failed (see bench/results/methods-demo-u2pl-ablation-$v.md)" >&2
done
/usr/bin/python3 bench/methods/variants.py bench/results/u2pl-demo-ablation.md --title "u2pl: what L_c and the unreliable negatives add on the demo (issue 18)" \
  --about "Command: \`bench/u2pl/ablation.sh\` (VARIANTS=$variants, SEEDS=$seeds; each run's commit in bench/results/methods-demo-u2pl-ablation-VARIANT.md): \`u2pl\` on the demo, 1/8 labeled, 1,500 iterations, \`train.class_balancing=true\`. default: as configured (λ_c 0.1, unlabeled negatives from the unreliable pixels); nocontr: \`method.u2pl.weights.contr=0\` (L_c off, the teacher pass unchanged); reliable: \`method.u2pl.negatives=reliable\`. Final val mIoU in percent. Reliable share: the logged share of the unlabeled pixels L_u trains on, mean over the run after the warm-up." \
  --runs "bench/out/methods-u2pl-ablation-{v}/u2pl-s{s}" --variants "$variants" --seeds "$seeds" \
  --metric reliable_share --metric-label "reliable share" --metric-from 300
