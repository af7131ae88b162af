#!/usr/bin/env bash
# Issue 17's "find out why": the per-class quality of a trained run's pseudo-labels at a confidence threshold, on
# the run's own unlabeled training images with their true masks (org.semiseg.method.bench.PseudoLabelQuality).
#   bench/pseudo/run.sh run=bench/out/camvid-views/fixmatch-1_8-s1 [threshold=0.95] [batch=8]
# Prints a markdown table: each class's share of the pixels, the share kept (max probability >= threshold), the
# argmax's recall at any confidence and among the kept pixels, and the precision of the kept pseudo-labels.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/malloc/env.sh
OUT=bench/out/pseudo
mkdir -p "$OUT"
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test >/dev/null
mapfile -t malloc < <(malloc_env tuned)
env "${malloc[@]}" DJL_OFFLINE=true DNNL_MAX_CPU_ISA="$(semiseg_isa)" java -Xmx4g \
  -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
  -cp "target/test-classes:target/classes:$(cat "$OUT/cp.txt")" org.semiseg.method.bench.PseudoLabelQuality "$@" \
  2> >(grep -v LegacyTypeDispatch >&2)
