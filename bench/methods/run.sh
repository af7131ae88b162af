#!/usr/bin/env bash
# Method comparison on the built-in demo: every method x every seed, one run after another, then the summary table.
#
#   bench/methods/run.sh                                   # 4 methods x seeds 1 2 3, the demo's default length
#   bench/methods/run.sh --set train.iterations=1500       # extra arguments go to every `semiseg train`
#   METHODS="supervised classmix" SEEDS="1 2" bench/methods/run.sh
#   RERUN=1 bench/methods/run.sh                           # train again even where a finished run exists
#   NAME=balanced bench/methods/run.sh --set train.class_balancing=true   # a second comparison beside the first
#
# Runs land in bench/out/methods[-NAME]/<method>-s<seed>/ (log: <method>-s<seed>.log beside it), the table in
# bench/results/methods-demo[-NAME].md (see bench/README.md). Exit status 1 when a run failed (the table is still written).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

methods="${METHODS:-supervised mean-teacher classmix memory-bank}"
seeds="${SEEDS:-1 2 3}"
out_root="bench/out/methods${NAME:+-$NAME}"
results="${RESULTS:-bench/results/methods-demo${NAME:+-$NAME}.md}"

# The command line as typed, with the environment variables that changed it, for the results file.
command_line=""
for var in METHODS SEEDS RERUN NAME RESULTS; do
  if [ -n "${!var:-}" ]; then
    command_line+="$var=$(printf '%q' "${!var}") "
  fi
done
command_line+="bench/methods/run.sh"
for arg in "$@"; do
  command_line+=" $(printf '%q' "$arg")"
done

mkdir -p "$out_root"
commit="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
if [ "$commit" != unknown ] && [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit+=" (uncommitted changes)"
fi

# Build the jar now (when sources changed) so that the first run's wall time does not include the build.
./semiseg --version >/dev/null

failed=()
# seed-major: after the first seed every method has one result to compare
for s in $seeds; do
  for m in $methods; do
    dir="$out_root/$m-s$s"
    if [ "${RERUN:-0}" != 1 ] && /usr/bin/python3 "$here/summarise.py" --is-finished "$dir" -- "$@"; then
      echo "== $m seed $s: $dir holds a finished run, skipped (RERUN=1 trains it again)" >&2
      continue
    fi
    echo "== $m seed $s -> $dir" >&2
    start="$(date +%s.%N)"
    status=0
    ./semiseg train --set "method.name=$m" --set "seed=$s" --set "data.split_seed=$s" --out "$dir" --force "$@" 2>&1 | tee "$dir.log" || status=$?
    end="$(date +%s.%N)"
    if [ "$status" -ne 0 ]; then
      echo "== $m seed $s FAILED (exit $status); log: $dir.log" >&2
      failed+=("$m-s$s")
      continue
    fi
    # What the summary cannot read from the run itself: wall time (JVM start to exit), the commit, the arguments.
    /usr/bin/python3 - "$dir/bench.json" "$start" "$end" "$commit" "$@" <<'EOF'
import json, sys
path, start, end, commit, args = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5:]
with open(path, "w") as f:
    json.dump({"wall_s": round(end - start, 1), "commit": commit, "args": args}, f, indent=2)
    f.write("\n")
EOF
  done
done

/usr/bin/python3 "$here/summarise.py" --runs "$out_root" --methods "$methods" --seeds "$seeds" \
  --command "$command_line" --output "$results"

if [ "${#failed[@]}" -gt 0 ]; then
  echo "failed runs: ${failed[*]} (logs in $out_root/<run>.log)" >&2
  exit 1
fi
