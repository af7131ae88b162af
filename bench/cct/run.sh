#!/usr/bin/env bash
# Where a CCT step's time goes (issue 20): forward + backward of each part alone, at the demo's sizes by default
# (DeepLabv3+ ResNet-18 width 0.25, 8 labeled + 8 unlabeled at 64x64, K = 30), CPU, 2 threads.
# Arguments key=value go to org.semiseg.method.bench.CctCostBench (backbone, width, os, classes, labeled, unlabeled,
# size, decoders, warmup, steps), e.g. about the CamVid grid's crop: bench/cct/run.sh classes=11 size=104
# Run it alone: another PyTorch process on these cores slows both by an order of magnitude.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=bench/out/cct
mkdir -p "$OUT"
source bench/malloc/env.sh
# the launcher's allocator settings (README, "Speed: the memory allocator"); SEMISEG_MALLOC=glibc keeps glibc's
MODE=${SEMISEG_MALLOC:-tuned}
mapfile -t malloc < <(malloc_env "$MODE") && malloc_env "$MODE" >/dev/null || exit 2
echo "allocator: $MODE"
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test >/dev/null
env "${malloc[@]}" DJL_OFFLINE=true DNNL_MAX_CPU_ISA="$(semiseg_isa)" java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
  -cp "target/test-classes:target/classes:$(cat "$OUT/cp.txt")" org.semiseg.method.bench.CctCostBench "$@" \
  | tee "$OUT/cost.log"
