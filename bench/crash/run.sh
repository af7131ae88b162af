#!/usr/bin/env bash
# Crash-and-resume check (issues 5 and 25): for each method, demo runs killed with SIGKILL and resumed, again and again,
# must end exactly where an uninterrupted run ends (same logged losses, same final mIoU, bit-identical final tensors).
#
#   bench/crash/run.sh                                  # every landed method, 20 kills each, 200 iterations
#   METHODS="supervised fixmatch" KILLS=3 ITERATIONS=30 bench/crash/run.sh    # a quick look
#   SEED=2 bench/crash/run.sh                           # other random moments
#
# Env: METHODS (default: every method of the registry), KILLS (20 per method), ITERATIONS (200), SEED (1),
# HOOKED_EVERY (3: every third kill waits for a checkpoint pause, 0: none), PAUSE_MS (2000: that pause),
# EVAL_EVERY (100), FAULT_RETRIES (40: train.fault_retries; a step that fails every retry of this machine's transient
# NaN fault is skipped, and a skip that one run has and the other not is a difference no resume made: see crash.py),
# RESULTS (bench/results/crash-methods.md).
# Per method: bench/out/crash/<method>/ holds the reference run, crashed-1/ (crashed-2/, ... when a run finished before
# the kills were spent), logs/ (one log per start), kills.tsv, summary.txt and result.json. The table of all methods
# goes to $RESULTS. Exit status 0 when every method passes.
set -euo pipefail
cd "$(dirname "$0")/../.."
kills="${KILLS:-20}"
seed="${SEED:-1}"
iterations="${ITERATIONS:-200}"
hooked_every="${HOOKED_EVERY:-3}"
pause_ms="${PAUSE_MS:-2000}"
eval_every="${EVAL_EVERY:-100}"
fault_retries="${FAULT_RETRIES:-40}"
results="${RESULTS:-bench/results/crash-methods.md}"
helper=bench/crash/crash.py
out=bench/out/crash
marker='semiseg: checkpoint write paused (test hook)'   # io.CheckpointPause
unset SEMISEG_CHECKPOINT_PAUSE_MS                          # only the starts aimed at a pause get it
./semiseg --version >/dev/null   # build first, so that no kill lands in the build
# every landed method: the registry's names (org.semiseg.method.Methods)
registry=$(grep -o 'BUILT_IN.put("[^"]*"' src/main/java/org/semiseg/method/Methods.java | cut -d'"' -f2 | tr '\n' ' ')
methods="${METHODS:-$registry}"
[ -n "${methods// /}" ] || { echo "bench/crash/run.sh: no methods (METHODS is empty and none found in Methods.java)" >&2; exit 2; }
command="METHODS=\"${methods% }\" KILLS=$kills ITERATIONS=$iterations SEED=$seed HOOKED_EVERY=$hooked_every"
command+=" PAUSE_MS=$pause_ms EVAL_EVERY=$eval_every FAULT_RETRIES=$fault_retries bench/crash/run.sh"

# one line to the console and to the method's summary
say() { echo "$*" | tee -a "$mdir/summary.txt"; }
# one row of kills.tsv: number, run, aim, checkpoint before, where it landed, leftovers, checkpoint after, resumed at
record() { (IFS=$'\t'; echo "$*") >> "$mdir/kills.tsv"; }
problem() { say "problem: $*"; record problem "$*"; }

# whether $pid still runs (a process that has ended but is not yet waited for does not)
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1) || true
  [ -n "$state" ] && [ "$state" != Z ]
}
# starts the run in $run_dir in the background (a resume when it has a checkpoint); sets pid, log, since, before
start() {
  local env_args=() args=()
  starts=$((starts + 1))
  log="$mdir/logs/$(printf %03d "$starts").log"
  before=$(python3 "$helper" checkpoint "$run_dir")
  if [ "$before" = none ] && [ "$had_checkpoint" = 1 ]; then
    problem "$run_dir: its checkpoint is gone (neither last nor .last.old is there)"
  fi
  if [ "$before" != none ]; then
    args=(train --resume --out "$run_dir")
  else
    args=(train --out "$run_dir" --force "${common[@]}")   # killed before its first checkpoint: start again
  fi
  [ "${1:-}" = paused ] && env_args=(SEMISEG_CHECKPOINT_PAUSE_MS="$pause_ms")
  since=$(date +%s%N)
  env "${env_args[@]}" ./semiseg "${args[@]}" > "$log" 2>&1 &
  pid=$!   # env and the launcher exec java, so $pid is the JVM
}
# waits for $pid; 0 when it ended by itself with status 0, else a problem of the method (137: killed by us)
ended() {
  local rc=0
  wait "$pid" 2>/dev/null || rc=$?
  if [ "$rc" != 0 ] && [ "$rc" != 137 ]; then
    problem "start $starts ($run_dir) exited with status $rc: $(grep -vF "$marker" "$log" | tail -n 1)"
  fi
  return "$rc"
}

run_method() {
  local method=$1 t0 ref_start ref_wall
  mdir="$out/$method"
  rm -rf "$mdir"
  mkdir -p "$mdir/logs"
  : > "$mdir/kills.tsv"
  common=(--set "method.name=$method" --set "train.iterations=$iterations" --set train.checkpoint_every=10
          --set "train.eval_every=$eval_every" --set train.log_every=5 --set "train.fault_retries=$fault_retries")
  t0=$(date +%s)
  say "== $method: reference (uninterrupted run)"
  ref_start=$EPOCHREALTIME
  if ./semiseg train --out "$mdir/reference" "${common[@]}" > "$mdir/reference.log" 2>&1; then
    ref_wall=$(python3 -c "print($EPOCHREALTIME - $ref_start)")
    crash_and_resume "$method" "$ref_wall"
  else
    problem "the reference run failed: $(tail -n 1 "$mdir/reference.log")"
  fi
  python3 "$helper" compare "$mdir" "$kills" "$(( $(date +%s) - t0 ))" | tee -a "$mdir/summary.txt" || true
}

# crash_and_resume METHOD REFERENCE_WALL_S: kills a copy of the reference run $kills times (a fresh copy when one
# finishes), then resumes each copy to its end
crash_and_resume() {
  local window kind a b aim until rc left landed after resumed_at r
  window=$(python3 "$helper" window "$mdir/reference" "$2" 5 "$kills")
  mapfile -t plan < <(python3 "$helper" plan "$seed" "$1" "$kills" "$hooked_every" "$window")
  round=1; run_dir="$mdir/crashed-1"; had_checkpoint=0; starts=0; i=0
  while [ "$i" -lt "$kills" ]; do
    if [ "$(python3 "$helper" checkpoint "$run_dir")" = "$iterations" ]; then
      say "  $run_dir has finished; the next kills go to a fresh run"
      round=$((round + 1)); run_dir="$mdir/crashed-$round"; had_checkpoint=0
    fi
    if [ "$starts" -ge $((3 * kills + 3)) ]; then problem "$starts starts for $i kills; giving up"; break; fi
    read -r kind a b <<< "${plan[$i]}"
    if [ "$kind" = checkpoint ]; then
      aim="checkpoint pause $a #$b"
      start paused
      # until the run announces its b-th pause at phase a (or ends)
      while alive && [ "$(grep -oF "$marker: $a " "$log" | wc -l)" -lt "$b" ]; do sleep 0.05; done
    else
      aim="random ${a}s"
      start
      until=$(( ${EPOCHREALTIME/./} + 10#${a/./} * 10000 ))   # a has two decimals; microseconds
      while alive && [ "${EPOCHREALTIME/./}" -lt "$until" ]; do sleep 0.05; done
    fi
    kill -KILL "$pid" 2>/dev/null || true
    rc=0; ended || rc=$?
    if [ "$rc" = 0 ]; then continue; fi          # it ended by itself: finished (a fresh run next)
    if [ "$rc" != 137 ]; then break; fi          # it failed: a problem, already recorded
    i=$((i + 1))
    left=$(python3 "$helper" leftovers "$run_dir" "$since")
    if [ "$left" != - ]; then landed=checkpoint-write
    elif grep -q -e '^training into' -e '^resuming' "$log"; then landed=training
    else landed=start-up; fi
    after=$(python3 "$helper" checkpoint "$run_dir")
    [ "$after" != none ] && had_checkpoint=1
    resumed_at=$(grep -o '^resuming .* at iteration [0-9]*' "$log" | grep -o '[0-9]*$' || echo -)
    record "$i" "$(basename "$run_dir")" "$aim" "$before" "$landed" "$left" "$after" "$resumed_at"
    say "  kill $i ($aim): start $starts from checkpoint $before; landed in $landed; leftovers $left;" \
        "checkpoint after: $after"
  done
  # every crashed run resumed to its end
  for r in $(seq 1 "$round"); do
    run_dir="$mdir/crashed-$r"
    if [ "$(python3 "$helper" checkpoint "$run_dir")" != "$iterations" ]; then
      start; ended || break
    fi
  done
}

mkdir -p "$out"
dirs=()
for method in $methods; do
  run_method "$method"
  dirs+=("$mdir")
  python3 "$helper" table "$results" "$command" "${dirs[@]}" > /dev/null || true   # rewritten after every method
done
echo "table: $results"
python3 "$helper" table "$results" "$command" "${dirs[@]}"   # says PASS or which methods failed; its exit status
