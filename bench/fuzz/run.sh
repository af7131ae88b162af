#!/usr/bin/env bash
# Fuzzing of the readers of untrusted files (issue 25): images (PNG, JPEG), the masks of every dataset layout,
# checkpoints (safetensors, state.json), configs, a folder dataset's dataset.yaml and split files. Seeded mutations
# of valid files; each input must load or give semiseg's one-line error naming the file, within 20 s and the
# allocation its size justifies. The test suite runs 150 inputs per target (ReadersFuzzTest); this is the long run.
#
#   bench/fuzz/run.sh                          # 60 s per target, seed 1
#   bench/fuzz/run.sh seconds=600 seed=7       # longer, another seed
#   bench/fuzz/run.sh only=image-png,config
#
# Counts per target and the distinct errors go to bench/out/fuzz/fuzz.log; failing inputs to bench/out/fuzz/failures/
# (each is reproduced with: mvn -o test -Dtest=ReadersFuzzTest -Dfuzz.seed=S -Dfuzz.only=TARGET:INDEX).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/malloc/env.sh   # semiseg_isa: the launcher's oneDNN cap
OUT=bench/out/fuzz
rm -rf "$OUT"
mkdir -p "$OUT"
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test >/dev/null
# -Xmx: the image readers refuse what needs more than a quarter of the heap; 4 GiB keeps that bound at 1 GiB
DJL_OFFLINE=true DNNL_MAX_CPU_ISA="$(semiseg_isa)" java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
  -cp "target/test-classes:target/classes:$(cat "$OUT/cp.txt")" org.semiseg.fuzz.FuzzMain out="$OUT" "$@" \
  2>&1 | grep -v NNPACK | tee "$OUT/fuzz.log"
