#!/usr/bin/env bash
# One DeepLabv3+ ResNet-50 (OS 16, width 1.0) training step, batch 4, 3x256x256, CPU, 2 threads:
# semiseg on DJL 0.35.1 / PyTorch 2.7.1 vs plain PyTorch (Debian's /usr/bin/python3, torch 1.13).
# Env: WARMUP (3), STEPS (10) measured steps per run, ROUNDS (1) alternating DJL/torch runs; medians pool all rounds.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/malloc/env.sh   # semiseg_isa: the launcher's oneDNN cap
WARMUP=${WARMUP:-3}
STEPS=${STEPS:-10}
ROUNDS=${ROUNDS:-1}
THREADS=2
ARGS="backbone=resnet50 os=16 classes=21 batch=4 size=256 warmup=$WARMUP steps=$STEPS"
OUT=bench/out/step
mkdir -p "$OUT"

mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test >/dev/null
/usr/bin/python3 -c "import torch, torchvision" || { echo "needs /usr/bin/python3 with torch + torchvision" >&2; exit 1; }

for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: semiseg (DJL)"
  DJL_OFFLINE=true DNNL_MAX_CPU_ISA="$(semiseg_isa)" java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$THREADS \
    -cp "target/test-classes:target/classes:$(cat "$OUT/cp.txt")" org.semiseg.model.bench.StepBench $ARGS \
    | tee "$OUT/djl_$r.log"
  echo "== round $r: PyTorch"
  /usr/bin/python3 bench/step/torch_step.py $ARGS threads=$THREADS | tee "$OUT/torch_$r.log"
done

/usr/bin/python3 - "$OUT" "$ROUNDS" <<'PY'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def medians(side):
    per_round, params = [], set()
    for r in range(1, rounds + 1):
        ms = []
        for line in open(f"{out}/{side}_{r}.log"):
            m = re.match(rf"{side} step \d+ ([\d.]+) ms", line)
            if m:
                ms.append(float(m.group(1)))
            m = re.search(r"RESULT .* params=(\d+)", line)
            if m:
                params.add(int(m.group(1)))
        per_round.append(statistics.median(ms))
    return per_round, params
djl, p1 = medians("djl")
torch, p2 = medians("torch")
print(f"trainable parameters: semiseg {sorted(p1)} PyTorch {sorted(p2)}" + ("" if p1 == p2 else "  MISMATCH"))
for r in range(rounds):
    print(f"round {r + 1}: semiseg {djl[r]:.1f} ms/step, PyTorch {torch[r]:.1f} ms/step, ratio {djl[r] / torch[r]:.2f}")
# the least disturbed round of each side (the 2 cores are shared; other load only ever adds time)
print(f"semiseg (DJL): {min(djl):.1f} ms/step (median of a run, best of {rounds})")
print(f"PyTorch:       {min(torch):.1f} ms/step (median of a run, best of {rounds})")
print(f"semiseg/PyTorch ratio: {min(djl) / min(torch):.2f}")
PY
