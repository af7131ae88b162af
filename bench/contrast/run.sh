#!/usr/bin/env bash
# Share of a memory-bank training step spent in the contrastive module (heads, attention modules, bank update,
# Eq. 8-11): the same step with lambda_contr = 0.1 and with 0, alternated in one JVM. Goal (issue 4): at most 5 %.
# Arguments (key=value) go to org.semiseg.method.bench.ContrastShareBench, e.g. steps=30 dim=256.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/malloc/env.sh   # semiseg_isa and malloc_env: the launcher's oneDNN cap and malloc settings
OUT=bench/out/contrast
mkdir -p "$OUT"
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test >/dev/null
mapfile -t malloc < <(malloc_env tuned)   # the launcher's malloc settings
env "${malloc[@]}" DJL_OFFLINE=true DNNL_MAX_CPU_ISA="$(semiseg_isa)" java -Xmx6g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 \
  -cp "target/test-classes:target/classes:$(cat "$OUT/cp.txt")" org.semiseg.method.bench.ContrastShareBench "$@" \
  | tee "$OUT/share.log"
