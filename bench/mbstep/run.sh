#!/usr/bin/env bash
# Issue 6: one whole memory-bank training step (student, teacher, bank, all losses, SGD, EMA), semiseg on DJL 0.35.1 /
# PyTorch 2.7.1 vs the same algorithm in plain PyTorch (Debian's /usr/bin/python3, torch 1.13), CPU, 2 threads.
# Goal: semiseg/PyTorch ratio at most 1.0.
#   bench/mbstep/run.sh                          # configs/camvid.yaml's network and crop, 8 warm-up + 10 steps
#   ROUNDS=3 bench/mbstep/run.sh                 # alternate the sides 3 times; the medians pool all rounds
#   bench/mbstep/run.sh batch=2 height=64 width=64 warmup=1 steps=2     # other sizes (the same on both sides)
# Arguments (key=value, passed to both sides): classes batch height width arch backbone os width_mult dim bank
# labeled_images views seed warmup steps lr prefill (the issue-24 comparison: lr=2e-4 prefill=true). Env: ROUNDS (1), WARMUP (8), STEPS (10). Logs in bench/out/mbstep/.
# Env MALLOC (tuned) and TORCH_MALLOC (glibc): each side's malloc settings, tuned (the launcher's, README "Speed: the
# memory allocator"), glibc (glibc's defaults, as the authors' code and a plain python3 run), or tcmalloc / jemalloc
# (preloaded; Debian's libtcmalloc-minimal4 / libjemalloc2).
# oneDNN's instruction set: semiseg's side runs as the launcher would (AVX2 on AMD CPUs, against the transient faults
# of README "Known issues"; uncapped elsewhere; an exported DNNL_MAX_CPU_ISA wins);
# PyTorch's side is uncapped, as a user runs it (an exported DNNL_MAX_CPU_ISA is removed for it), unless
# TORCH_DNNL_ISA is set (TORCH_DNNL_ISA=AVX2: the same cap on both sides; Debian's PyTorch has its own, older oneDNN,
# so not the same kernels).
#   CHECK=1 bench/mbstep/run.sh                  # no timing: both sides from the same weights and batches (ClassMix
#                                                # off), 3 steps at batch 2, 64x64; every loss term must agree
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-1}
WARMUP=${WARMUP:-8}
STEPS=${STEPS:-10}
THREADS=2
OUT=bench/out/mbstep
source bench/malloc/env.sh
MALLOC=${MALLOC:-tuned}
TORCH_MALLOC=${TORCH_MALLOC:-glibc}
malloc_env "$MALLOC" >/dev/null && malloc_env "$TORCH_MALLOC" >/dev/null || exit 2
mapfile -t djl_env < <(malloc_env "$MALLOC")
mapfile -t torch_env < <(malloc_env "$TORCH_MALLOC")
mkdir -p "$OUT"

ARGS=("warmup=$WARMUP" "steps=$STEPS")
for arg in "$@"; do
  case "${arg%%=*}" in
    classes|batch|height|width|arch|backbone|os|width_mult|dim|bank|labeled_images|views|seed|warmup|steps|lr|prefill)
      ARGS+=("$arg") ;;
    *) echo "run.sh: unknown argument '$arg' (both sides must run the same step)" >&2; exit 2 ;;
  esac
done

/usr/bin/python3 -c "import torch" || { echo "needs /usr/bin/python3 with torch (apt-get install python3-torch python3-torchvision libopenblas0-pthread)" >&2; exit 1; }
case "$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 || true)" in
  *openblas*) ;;
  *) echo "WARNING: libblas.so.3 is not OpenBLAS; Debian's torch is then ~30x slower and the ratio is meaningless (apt-get install libopenblas0-pthread)" >&2 ;;
esac
mvn -B -q -o test-compile
mvn -B -q -o dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" -Dmdep.includeScope=test >/dev/null

if [ "${CHECK:-0}" = 1 ]; then
  # same start on both sides: the Java side writes its initial weights and batches, PyTorch loads them; ClassMix
  # off on both (its draws come from different generators); every loss term of every step must agree
  rm -rf "$OUT/check" && mkdir -p "$OUT/check"
  CARGS=(batch=2 height=64 width=64 warmup=0 steps=3)
  DJL_OFFLINE=true DNNL_MAX_CPU_ISA="$(semiseg_isa)" java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$THREADS \
    -cp "target/test-classes:target/classes:$(cat "$OUT/cp.txt")" org.semiseg.method.bench.MemoryBankStepBench \
    "${CARGS[@]}" dump="$OUT/check/start" set:augment.labeled=none set:augment.unlabeled=none 2>&1 \
    | grep -v "LegacyTypeDispatch" | tee "$OUT/check/djl.log"
  /usr/bin/python3 bench/mbstep/torch_mb_step.py "${CARGS[@]}" threads=$THREADS load="$OUT/check/start" mix=false \
    | tee "$OUT/check/torch.log"
  /usr/bin/python3 - "$OUT/check" <<'PY'
import re, sys
def terms(path, side):
    return [dict(kv.split("=") for kv in re.findall(r"(\w+=[-\d.e+]+)", line.split(" ms ", 1)[1]) if not kv.startswith(("upload", "ema")))
            for line in open(path) if line.startswith(f"{side} step ")]
a, b = terms(f"{sys.argv[1]}/djl.log", "djl"), terms(f"{sys.argv[1]}/torch.log", "torch")
worst = 0.0
for i, (x, y) in enumerate(zip(a, b)):
    for k in ("sup", "pseudo", "ent", "contr_labeled", "contr_unlabeled"):
        u, v = float(x[k]), float(y[k])
        worst = max(worst, abs(u - v) / max(abs(u), 1e-12))
        print(f"step {i} {k}: semiseg {u:.7g} PyTorch {v:.7g}")
ok = len(a) == len(b) == 3 and worst < 1e-4
print(f"largest relative difference {worst:.2e}: {'PASS' if ok else 'FAIL'} (same weights and batches, ClassMix off)")
sys.exit(0 if ok else 1)
PY
  exit $?
fi

load=$(cut -d' ' -f1 /proc/loadavg)
echo "load average before the run: $load (anything else running on the 2 cores skews both sides; run it alone)"
echo "malloc: semiseg $MALLOC, PyTorch $TORCH_MALLOC"
export OMP_NUM_THREADS=$THREADS
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r: semiseg (DJL)"
  /usr/bin/time -f "%M" -o "$OUT/rss_djl_$r.txt" env "${djl_env[@]}" DJL_OFFLINE=true DNNL_MAX_CPU_ISA="$(semiseg_isa)" java -Xmx4g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$THREADS \
    -cp "target/test-classes:target/classes:$(cat "$OUT/cp.txt")" org.semiseg.method.bench.MemoryBankStepBench \
    "${ARGS[@]}" 2>&1 | grep -v "LegacyTypeDispatch" | tee "$OUT/djl_$r.log"
  echo "== round $r: PyTorch"
  /usr/bin/time -f "%M" -o "$OUT/rss_torch_$r.txt" env -u DNNL_MAX_CPU_ISA "${torch_env[@]}" ${TORCH_DNNL_ISA:+DNNL_MAX_CPU_ISA="$TORCH_DNNL_ISA"} /usr/bin/python3 bench/mbstep/torch_mb_step.py "${ARGS[@]}" threads=$THREADS | tee "$OUT/torch_$r.log"
done

/usr/bin/python3 - "$OUT" "$ROUNDS" <<'PY'
import re, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
TERMS = ["sup", "pseudo", "ent", "contr_labeled", "contr_unlabeled"]
def read(side):
    per_round, params, last = [], set(), None
    for r in range(1, rounds + 1):
        ms = []
        for line in open(f"{out}/{side}_{r}.log"):
            m = re.match(rf"{side} step \d+ ([\d.]+) ms", line)
            if m:
                ms.append(float(m.group(1)))
            m = re.match(rf"RESULT {side} .*params=(\d+)", line)
            if m:
                params.add(int(m.group(1)))
            if line.startswith(f"TERMS {side}"):
                last = dict(kv.split("=", 1) for kv in line.split()[2:])
        per_round.append(ms)
    return per_round, params, last
ok = True
djl, p1, t1 = read("djl")
torch, p2, t2 = read("torch")
print(f"trainable parameters (student + heads and selectors): semiseg {sorted(p1)} PyTorch {sorted(p2)}"
      + ("" if p1 == p2 and len(p1) == 1 else "  MISMATCH"))
ok &= p1 == p2 and len(p1) == 1
for side, terms in (("semiseg", t1), ("PyTorch", t2)):
    missing = [t for t in TERMS if terms is None or t not in terms or float(terms[t]) == 0.0]
    print(f"{side} last step: " + (" ".join(f"{k}={v}" for k, v in terms.items()) if terms else "no TERMS line")
          + (f"  MISSING OR ZERO: {missing}" if missing else ""))
    ok &= not missing
for r in range(rounds):
    a, b = statistics.median(djl[r]), statistics.median(torch[r])
    print(f"round {r + 1}: semiseg {a:.1f} ms/step, PyTorch {b:.1f} ms/step, ratio {a / b:.2f}")
def rss(side):
    return [int(open(f"{out}/rss_{side}_{r}.txt").read().split()[-1]) / 1024 for r in range(1, rounds + 1)]
print("peak RSS per round (MiB, GNU time): semiseg " + ", ".join(f"{x:.0f}" for x in rss("djl"))
      + "; PyTorch " + ", ".join(f"{x:.0f}" for x in rss("torch")))
a = statistics.median([x for ms in djl for x in ms])
b = statistics.median([x for ms in torch for x in ms])
print(f"semiseg (DJL): {a:.1f} ms/step (median of {sum(map(len, djl))} steps over {rounds} round(s))")
print(f"PyTorch:       {b:.1f} ms/step (median of {sum(map(len, torch))} steps over {rounds} round(s))")
if not ok:
    print("WARNING: the two sides did not run the same step (see above); the ratio is not a comparison")
print(f"semiseg/PyTorch ratio: {a / b:.2f}")
PY
