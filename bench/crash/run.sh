#!/usr/bin/env bash
# Crash-and-resume check (issue 5): a demo run killed with SIGKILL at random moments and resumed each time must end
# exactly where an uninterrupted run ends (same logged losses, same final mIoU, bit-identical final weights).
#
#   bench/crash/run.sh                       # memory-bank method, 200 iterations, 6 kill points
#   KILLS=10 SEED=3 bench/crash/run.sh       # more kill points, other random moments
#   METHOD=supervised ITERATIONS=400 bench/crash/run.sh
#
# Runs land in bench/out/crash/; the summary (one line per kill, then PASS or FAIL) in bench/out/crash/summary.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
kills="${KILLS:-6}"
seed="${SEED:-1}"
method="${METHOD:-memory-bank}"
iterations="${ITERATIONS:-200}"
out=bench/out/crash
rm -rf "$out"
mkdir -p "$out"
summary="$out/summary.txt"
./semiseg --version >/dev/null   # build first, so that no kill lands in the build
common=(--set "method.name=$method" --set "train.iterations=$iterations" --set train.checkpoint_every=10
        --set train.eval_every=100 --set train.log_every=5)

echo "reference: uninterrupted run" | tee "$summary"
./semiseg train --out "$out/reference" "${common[@]}" > "$out/reference.log" 2>&1

# kill moments: seeded, spread from the JVM start (about 2 s) to past the time an uninterrupted run needs
ref_seconds=$(python3 - "$out/reference/metrics.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ms = sum(r.get("data_ms", 0) + r.get("compute_ms", 0) + r.get("other_ms", 0) for r in rows if "loss" in r) * 5
print(max(4, int(ms / 1000) + 3))
PY
)
mapfile -t delays < <(python3 -c "
import random
r = random.Random($seed)
print('\n'.join('%.2f' % r.uniform(0.5, $ref_seconds / 2) for _ in range($kills)))")

run_dir="$out/crashed"
# iteration of the run's last checkpoint, or "none"
checkpoint_iteration() {
  python3 -c "
import json
try:
    print(json.load(open('$run_dir/checkpoints/last/state.json'))['iteration'])
except Exception:
    print('none')"
}
# whether the run can continue with --resume (a config and a checkpoint, or the copy kept during a write)
resumable() {
  [ -f "$run_dir/config.yaml" ] && { [ -d "$run_dir/checkpoints/last" ] || [ -d "$run_dir/checkpoints/.last.old" ]; }
}
start_args() {
  if resumable; then
    args=(train --resume --out "$run_dir")
  else
    args=(train --out "$run_dir" --force "${common[@]}")   # killed before its first checkpoint: start again
  fi
}
for i in $(seq 0 $((kills - 1))); do
  if [ "$(checkpoint_iteration)" = "$iterations" ]; then
    echo "the run finished after $i kills; the remaining kill points are not used" | tee -a "$summary"
    break
  fi
  start_args
  ./semiseg "${args[@]}" >> "$out/crashed.log" 2>&1 &
  pid=$!
  sleep "${delays[$i]}"
  if kill -0 "$pid" 2>/dev/null; then
    # the launcher execs java, so $pid is the JVM
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    at=$(checkpoint_iteration)
    echo "kill $((i + 1)): SIGKILL after ${delays[$i]} s; mode ${args[1]}; last checkpoint at iteration $at" | tee -a "$summary"
  else
    wait "$pid" || true
    echo "kill $((i + 1)): the run had finished before ${delays[$i]} s" | tee -a "$summary"
  fi
done
if [ "$(checkpoint_iteration)" != "$iterations" ]; then
  start_args
  ./semiseg "${args[@]}" >> "$out/crashed.log" 2>&1
fi

python3 - "$out/reference" "$run_dir" "$summary" <<'PY'
import hashlib, json, sys
ref, run, summary = sys.argv[1:4]
def rows(d):
    out = []
    for line in open(d + "/metrics.jsonl"):
        r = json.loads(line)
        for k in ("data_ms", "compute_ms", "other_ms", "images_per_s"):
            r.pop(k, None)
        if "eval" in r:
            r["eval"].pop("seconds", None)
        out.append(r)
    return out
def sha(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()
a, b = rows(ref), rows(run)
same_log = a == b
miou_a = [r["eval"]["mIoU"] for r in a if "eval" in r][-1]
miou_b = [r["eval"]["mIoU"] for r in b if "eval" in r][-1]
same_weights = sha(ref + "/checkpoints/last/model.safetensors") == sha(run + "/checkpoints/last/model.safetensors")
lines = [
    "metrics.jsonl lines: reference %d, resumed %d, identical: %s" % (len(a), len(b), same_log),
    "final mIoU: reference %.6f, resumed %.6f" % (miou_a, miou_b),
    "final weights bit-identical: %s" % same_weights,
]
ok = same_log and miou_a == miou_b and same_weights
lines.append("PASS" if ok else "FAIL")
with open(summary, "a") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
sys.exit(0 if ok else 1)
PY
