#!/usr/bin/env python3
"""Helper of bench/crash/run.sh (standard library only): kill plans, checkpoint state, comparisons, the results table.

    crash.py plan SEED METHOD KILLS EVERY WINDOW_S        one kill per line: "random SECONDS" or "checkpoint PHASE N"
    crash.py window REF_DIR WALL_S LOG_EVERY KILLS        upper end of the random kill delays, in seconds
    crash.py checkpoint RUN_DIR                           iteration of the checkpoint a resume would load, or "none"
    crash.py leftovers RUN_DIR SINCE_NS                   half-done checkpoint writes made since SINCE_NS, or "-"
    crash.py compare METHOD_DIR KILLS WALL_S              compare every crashed run with the reference: result.json
    crash.py table OUT_MD COMMAND METHOD_DIR...           the results table of the methods' result.json files
"""
import datetime
import hashlib
import json
import os
import random
import subprocess
import sys

PHASES = ["between-renames", "renamed", "files-written"]   # the writer's pauses (io.CheckpointPause), riskiest first
TIMING = ("data_ms", "compute_ms", "other_ms", "images_per_s")
TENSORS = ("model.safetensors", "optimizer.safetensors", "method.safetensors")


def plan(seed, method, kills, every, window):
    """Every `every`-th kill (2, 5, 8, ... for 3) waits for a checkpoint pause; the rest come after a seeded random
    delay (uniform from 0.5 s to `window`). 0: no kill waits for a pause."""
    rng = random.Random("%s/%s" % (seed, method))
    aimed = 0
    for i in range(kills):
        if every > 0 and i % every == every // 2:
            # the phases in turn; which write of the start (1st or 2nd) is drawn
            print("checkpoint %s %d" % (PHASES[aimed % len(PHASES)], rng.randint(1, 2)))
            aimed += 1
        else:
            print("random %.2f" % rng.uniform(0.5, window))


def window(ref, wall, log_every, kills):
    """Start-up plus twice the training time per kill: a kill moves the run on by about 1/kills of its training."""
    train = 0.0
    for r in rows_of(ref):
        if "loss" in r:
            train += sum(r.get(k, 0) for k in ("data_ms", "compute_ms", "other_ms")) * log_every / 1000
    start_up = max(1.0, wall - train)
    print("%.2f" % (start_up + 2 * train / max(1, kills)))


def checkpoint(run):
    """The iteration a resume would start from: `last`, else the copy kept during an interrupted write."""
    for name in ("last", ".last.old"):
        try:
            with open(os.path.join(run, "checkpoints", name, "state.json")) as f:
                print(json.load(f)["iteration"])
                return
        except (OSError, ValueError, KeyError):
            continue
    print("none")


def leftovers(run, since_ns):
    """Temporary or previous copies (.NAME.tmp, .NAME.old) created or renamed since `since_ns`: a write cut short."""
    folder = os.path.join(run, "checkpoints")
    found = []
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            if name.startswith(".") and name.endswith((".tmp", ".old")):
                if os.stat(os.path.join(folder, name)).st_ctime_ns >= since_ns:
                    found.append(name)
    print(" ".join(found) if found else "-")


def rows_of(run):
    """metrics.jsonl's lines ([] without the file); a line that does not parse stays as a row of its own."""
    rows = []
    try:
        with open(os.path.join(run, "metrics.jsonl")) as f:
            for line in f:
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except ValueError:
                        rows.append({"iter": -1, "unreadable": line})
    except OSError:
        pass
    return rows


def keyed(run):
    """metrics.jsonl by (iteration, kind), timings and retry notes left out (a retried step may fall elsewhere)."""
    out = {}
    for r in rows_of(run):
        r = dict(r)
        r.pop("retried", None)
        for k in TIMING:
            r.pop(k, None)
        if set(r) == {"iter"}:
            continue   # a line that only noted a retry
        if "eval" in r:
            r["eval"] = {k: v for k, v in r["eval"].items() if k != "seconds"}
            kind = "eval"
        elif "skipped" in r or "unreadable" in r:
            kind = "skipped" if "skipped" in r else "unreadable"
        else:
            kind = "log"
        out.setdefault((r["iter"], kind), []).append(r)
    return out


def final_miou(rows):
    evals = [v[-1]["eval"]["mIoU"] for (it, kind), v in sorted(rows.items()) if kind == "eval"]
    return evals[-1] if evals else None


def sha(path):
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def compare_run(ref, run):
    a, b = keyed(ref), keyed(run)
    keys = sorted(set(a) | set(b))
    differing = [k for k in keys if a.get(k) != b.get(k)]
    first = None
    first_iteration = None
    if differing:
        key = differing[0]
        first_iteration = key[0]
        side = "reference only" if key not in b else "crashed run only" if key not in a else "values differ"
        first = "iteration %d (%s line): %s" % (key[0], key[1], side)
    ma, mb = final_miou(a), final_miou(b)
    files = {}
    for t in TENSORS:
        x, y = sha(os.path.join(ref, "checkpoints/last", t)), sha(os.path.join(run, "checkpoints/last", t))
        files[t] = x is not None and x == y
    return {"run": os.path.basename(run), "rows": len(keys), "rows_differing": len(differing), "first_difference": first,
            "first_iteration": first_iteration,
            "only_eval_differs": bool(differing) and all(k[1] == "eval" for k in differing),
            "losses_same": not differing, "miou_reference": ma, "miou": mb, "miou_same": ma is not None and ma == mb,
            "tensors_same": files, "weights_same": all(files.values())}


def faulted(run):
    """The iterations of a run's metrics.jsonl that a numerical fault skipped or that were retried (a set)."""
    return skipped(run) | skipped(run, "retried")


def skipped(run, key="skipped"):
    """The iterations of a run's metrics.jsonl that a numerical fault skipped (a set; or those with another key)."""
    out = set()
    path = os.path.join(run, "metrics.jsonl")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if key in row:
                    out.add(row["iter"])
    return out


def compare(method_dir, kills_wanted, wall):
    ref = os.path.join(method_dir, "reference")
    kills = []
    problems = []
    with open(os.path.join(method_dir, "kills.tsv")) as f:
        for line in f:
            rec = line.rstrip("\n").split("\t")
            if rec[0] == "problem":
                problems.append(rec[1])
                continue
            number, run, aim, before, landed, left, after, resumed_at = rec
            kills.append({"kill": int(number), "run": run, "aim": aim, "checkpoint_before": before, "landed": landed,
                          "leftovers": left, "checkpoint_after": after, "resumed_at": resumed_at})
            if resumed_at not in ("-", before):
                problems.append("kill %s: resumed at iteration %s, but the checkpoint on disk held %s"
                                % (number, resumed_at, before))
    runs = sorted({k["run"] for k in kills} | {d for d in os.listdir(method_dir) if d.startswith("crashed-")},
                  key=lambda d: int(d.split("-")[1]))
    results = [compare_run(ref, os.path.join(method_dir, r)) for r in runs]
    aimed = [k for k in kills if k["aim"].startswith("checkpoint")]
    count = {w: sum(1 for k in kills if k["landed"] == w) for w in ("checkpoint-write", "training", "start-up")}
    if len(kills) < kills_wanted:
        problems.append("%d of %d kills landed" % (len(kills), kills_wanted))
    if aimed and not any(k["landed"] == "checkpoint-write" for k in aimed):
        problems.append("no kill aimed at a checkpoint pause landed inside a write")
    for r in results:
        if not (r["losses_same"] and r["miou_same"] and r["weights_same"]):
            run_dir = os.path.join(method_dir, r["run"])
            skips = skipped(run_dir) ^ skipped(ref)
            retries = sorted(i for i in faulted(run_dir) | faulted(ref) if r["first_iteration"] is None
                             or i <= r["first_iteration"])
            why = ("; a numerical fault skipped iteration %s in one of the two runs only (the machine's transient NaN, "
                   "README Known issues): a different trajectory from there, rerun with another SEED"
                   % ", ".join(str(i) for i in sorted(skips))) if skips else ""
            if not why and r["weights_same"] and r["only_eval_differs"]:
                why = ("; only the evaluation differs, the weights are bit-identical: evaluate both checkpoints"
                       " (the machine's fault can spoil an evaluation, README Known issues)")
            if not why and retries:
                why = ("; the runs retried a faulty step at iteration %s before the first difference (the machine's"
                       " fault can also spoil a step without a NaN, README Known issues): inconclusive, rerun with"
                       " another SEED" % ", ".join(str(i) for i in retries))
            problems.append("%s differs from the reference%s" % (r["run"], why))
    result = {
        "method": os.path.basename(os.path.normpath(method_dir)), "kills": len(kills), "kills_wanted": kills_wanted,
        "in_checkpoint_write": count["checkpoint-write"], "in_training": count["training"],
        "in_start_up": count["start-up"], "aimed_at_pause": len(aimed),
        "aimed_landed": sum(1 for k in aimed if k["landed"] == "checkpoint-write"),
        "resumed_from": sorted({int(k["checkpoint_after"]) for k in kills if k["checkpoint_after"].isdigit()}),
        "runs": results, "problems": problems, "wall_s": wall, "pass": not problems, "kill_list": kills,
    }
    with open(os.path.join(method_dir, "result.json"), "w") as f:
        json.dump(result, f, indent=1)
    for r in results:
        tensors = ", ".join("%s %s" % (t.split(".")[0], "same" if s else "DIFFERENT") for t, s in r["tensors_same"].items())
        print("%s: %d metrics rows by iteration, %d differ%s; final mIoU %s vs reference %s; %s"
              % (r["run"], r["rows"], r["rows_differing"],
                 " (first: %s)" % r["first_difference"] if r["first_difference"] else "",
                 fmt(r["miou"]), fmt(r["miou_reference"]), tensors))
    print("kills: %d (in a checkpoint write %d, of which %d of %d aimed at a pause; in training %d; in start-up %d)"
          % (len(kills), count["checkpoint-write"], result["aimed_landed"], len(aimed), count["training"],
             count["start-up"]))
    for p in problems:
        print("problem: " + p)
    print("PASS" if result["pass"] else "FAIL")
    return result["pass"]


def fmt(x):
    return "-" if x is None else "%.6f" % x


def same(results, key):
    n = sum(1 for r in results if r[key])
    return "%d/%d" % (n, len(results))


def table(out_md, command, method_dirs):
    lines = [
        "# Crash check over the methods (`bench/crash/run.sh`)",
        "",
        "Command: `%s`  " % command,
        "Date: %s  " % datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "Commit: %s" % commit(),
        "",
        "Each method: an uninterrupted reference run, then the same run killed with SIGKILL and resumed, again and "
        "again; a third of the kills wait for the checkpoint writer's test pause (`SEMISEG_CHECKPOINT_PAUSE_MS`), the "
        "rest come after a seeded random delay. A kill is *in a checkpoint write* when it left a `.NAME.tmp` or "
        "`.NAME.old` of that start behind, *in start-up* when the run had not begun training. When a crashed run "
        "finishes before the kills are spent, the next kills go to a fresh run (`runs`). Resumes are bit-exact when "
        "every crashed run equals the reference: metrics.jsonl lines paired by iteration (timings and retry notes "
        "left out), the final validation mIoU, and the bytes of `checkpoints/last` (model, optimizer and method "
        "tensors).",
        "",
        "| method | kills | in a checkpoint write | aimed at a pause: in a write | in training | in start-up | runs "
        "| losses same | mIoU same | weights same | result | wall |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---|---|---:|",
    ]
    notes = []
    failed = []
    for d in method_dirs:
        path = os.path.join(d, "result.json")
        if not os.path.exists(path):
            lines.append("| %s | - | - | - | - | - | - | - | - | - | **FAIL** (no result) | - |" % os.path.basename(d))
            failed.append(os.path.basename(d))
            continue
        with open(path) as f:
            r = json.load(f)
        if not r["pass"]:
            failed.append(r["method"])
        runs = r["runs"]
        lines.append("| %s | %d | %d | %d/%d | %d | %d | %d | %s | %s | %s | %s | %s |" % (
            r["method"], r["kills"], r["in_checkpoint_write"], r["aimed_landed"], r["aimed_at_pause"],
            r["in_training"], r["in_start_up"], len(runs), same(runs, "losses_same"), same(runs, "miou_same"),
            same(runs, "weights_same"), "PASS" if r["pass"] else "**FAIL**", duration(r["wall_s"])))
        for p in r["problems"]:
            notes.append("- %s: %s" % (r["method"], p))
    if notes:
        lines += ["", "Problems:", ""] + notes
    lines.append("")
    os.makedirs(os.path.dirname(out_md) or ".", exist_ok=True)
    with open(out_md, "w") as f:
        f.write("\n".join(lines))
    print("FAIL: " + ", ".join(failed) if failed else "PASS: every method")
    return not failed


def duration(s):
    s = int(round(s))
    return "%dm%02ds" % (s // 60, s % 60)


def commit():
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, check=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "plan":
        plan(args[0], args[1], int(args[2]), int(args[3]), float(args[4]))
    elif cmd == "window":
        window(args[0], float(args[1]), int(args[2]), int(args[3]))
    elif cmd == "checkpoint":
        checkpoint(args[0])
    elif cmd == "leftovers":
        leftovers(args[0], int(args[1]))
    elif cmd == "compare":
        sys.exit(0 if compare(args[0], int(args[1]), float(args[2])) else 1)
    elif cmd == "table":
        sys.exit(0 if table(args[0], args[1], args[2:]) else 1)
    else:
        sys.exit("crash.py: unknown command %s" % cmd)


if __name__ == "__main__":
    main(sys.argv)
