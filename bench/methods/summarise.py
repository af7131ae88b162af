#!/usr/bin/python3
"""Summarises the method comparison runs of bench/methods/run.sh into a Markdown table.

    summarise.py [--runs bench/out/methods] [--methods "a b"] [--seeds "1 2 3"] [--command "..."]
                 [--output bench/results/methods-demo.md]
    summarise.py --is-finished RUN_DIR [-- ARGS...]   exit 0 when RUN_DIR holds a finished run (run.sh's skip test);
                                                      with ARGS, warns when the run was made with other arguments

A run folder (org.semiseg.train.RunDirectory) holds config.yaml (the resolved config), metrics.jsonl (one JSON object
per line; validations are {"iter": N, "eval": {"split": "val", "mIoU": 0.61, ...}}, fractions in [0, 1]) and eval.json
(written when training ends, but `semiseg evaluate --run` overwrites it, so it is not used here). A run is finished
when metrics.jsonl has the validation record of its last iteration (train.iterations of its config.yaml); that record's
mIoU (the final weights, not the best checkpoint) is the run's result. bench.json, written by run.sh after the run,
adds the wall time, the commit and the extra arguments.

Standard library only.
"""

import argparse
import datetime
import json
import math
import os
import re
import statistics
import subprocess
import sys

DEFAULT_RUNS = "bench/out/methods"
DEFAULT_OUTPUT = "bench/results/methods-demo.md"
RUN_NAME = re.compile(r"^(?P<method>.+)-s(?P<seed>\d+)$")


def read_config(path):
    """Scalar keys of a resolved config.yaml as dotted names ('train.iterations' -> '1500'); lists are skipped.

    config.yaml is written by Jackson: block mappings indented by two spaces, one key per line."""
    values = {}
    stack = []  # (indent, key)
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith(("#", "-")):
                continue
            indent = len(line) - len(line.lstrip(" "))
            m = re.match(r"^\s*([A-Za-z0-9_]+):(?:\s+(.*))?$", line)
            if not m:
                continue
            while stack and stack[-1][0] >= indent:
                stack.pop()
            key, value = m.group(1), (m.group(2) or "").strip()
            dotted = ".".join([k for _, k in stack] + [key])
            if value == "":
                stack.append((indent, key))
            else:
                values[dotted] = value.strip('"').strip("'")
    return values


def read_metrics(path):
    records = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    pass  # a line cut off by a killed run
    return records


def inspect(run_dir):
    """What a run folder holds: a dict with 'finished' (bool), 'why' (when not), and the results when finished."""
    info = {"dir": run_dir, "finished": False}
    config_path = os.path.join(run_dir, "config.yaml")
    metrics_path = os.path.join(run_dir, "metrics.jsonl")
    if not os.path.isdir(run_dir):
        info["why"] = "no run folder"
        return info
    if not os.path.isfile(config_path) or not os.path.isfile(metrics_path):
        info["why"] = "no config.yaml / metrics.jsonl (the run never started training)"
        return info
    config = read_config(config_path)
    try:
        iterations = int(config["train.iterations"])
    except (KeyError, ValueError):
        info["why"] = "config.yaml has no train.iterations"
        return info
    info["iterations"] = iterations
    info["config"] = config
    evals = [r for r in read_metrics(metrics_path)
             if isinstance(r.get("eval"), dict) and r["eval"].get("split", "val") == "val"]
    final = [r for r in evals if r.get("iter") == iterations]
    if not final:
        last = max((r.get("iter", 0) for r in evals), default=0)
        info["why"] = "no final validation at iteration %d (last validation: %s)" % (
            iterations, last if evals else "none")
        return info
    miou = final[-1]["eval"].get("mIoU")
    if miou is None:
        info["why"] = "final validation has no mIoU"
        return info
    info["finished"] = True
    info["miou"] = 100.0 * miou
    scored = [r for r in evals if r["eval"].get("mIoU") is not None]
    best = max(scored, key=lambda r: r["eval"]["mIoU"])
    info["best_miou"] = 100.0 * best["eval"]["mIoU"]
    info["best_iter"] = best.get("iter")
    bench_path = os.path.join(run_dir, "bench.json")
    if os.path.isfile(bench_path):
        try:
            with open(bench_path, encoding="utf-8") as f:
                bench = json.load(f)
            info["wall_s"] = bench.get("wall_s")
            info["commit"] = bench.get("commit")
            info["args"] = bench.get("args")
        except (OSError, json.JSONDecodeError):
            pass
    return info


def git_commit():
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, check=True).stdout.strip()
        return head + (" (uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def fmt(x, digits=2):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else "%.*f" % (digits, x)


def fmt_wall(seconds):
    if seconds is None:
        return "not recorded"
    seconds = float(seconds)
    return "%.0f s (%d min %02d s)" % (seconds, seconds // 60, seconds % 60) if seconds >= 60 else "%.1f s" % seconds


def discover(runs_root):
    methods, seeds = [], []
    if os.path.isdir(runs_root):
        for name in sorted(os.listdir(runs_root)):
            m = RUN_NAME.match(name)
            if m and os.path.isdir(os.path.join(runs_root, name)):
                if m.group("method") not in methods:
                    methods.append(m.group("method"))
                if m.group("seed") not in seeds:
                    seeds.append(m.group("seed"))
    return methods, sorted(seeds, key=int)


def summarise(runs_root, methods, seeds, command):
    runs = {(m, s): inspect(os.path.join(runs_root, "%s-s%s" % (m, s))) for m in methods for s in seeds}
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = git_commit()
    run_commits = sorted({r["commit"] for r in runs.values() if r["finished"] and r.get("commit")})
    lines = ["# Method comparison on the built-in demo", ""]
    lines.append("- command: `%s`" % (command or "(not given; summarise.py run by hand)"))
    lines.append("- date: %s" % now)
    if run_commits and run_commits != [head]:
        lines.append("- git commit of the runs: %s (summarised at %s)" % (", ".join(run_commits), head))
    else:
        lines.append("- git commit: %s" % head)
    finished = [r for r in runs.values() if r["finished"]]
    if finished:
        c = finished[0]["config"]
        keys = ["train.iterations", "train.batch_size", "data.labeled", "data.split_seed", "model.arch",
                "model.backbone", "model.width", "data.demo.size", "data.demo.train_images", "data.demo.val_images"]
        lines.append("- settings (config.yaml of %s): %s" % (
            os.path.basename(finished[0]["dir"]), ", ".join("%s=%s" % (k, c[k]) for k in keys if k in c)))
        if len({r["iterations"] for r in finished}) > 1 or len({json.dumps(r.get("args")) for r in finished}) > 1:
            lines.append("- **warning**: the runs were not all made with the same arguments / iterations (see the"
                         " per-run table)")
    lines.append("- mIoU: final validation mIoU (%) of each run's last iteration, on the demo's val split; std is the"
                 " sample standard deviation over seeds (n-1)")
    lines.append("")
    lines.append("| method | seeds | mIoU per seed | mean | std |")
    lines.append("|---|---|---|---|---|")
    for m in methods:
        done = [(s, runs[(m, s)]) for s in seeds if runs[(m, s)]["finished"]]
        values = [r["miou"] for _, r in done]
        mean = statistics.mean(values) if values else None
        std = statistics.stdev(values) if len(values) > 1 else None
        missing = len(seeds) - len(done)
        lines.append("| %s | %s | %s | %s | %s |" % (
            m,
            ", ".join(s for s, _ in done) if done else "none finished",
            ", ".join(fmt(v) for v in values) + (" (%d missing)" % missing if missing and done else ""),
            fmt(mean), fmt(std)))
    lines.append("")
    lines.append("Per run:")
    lines.append("")
    lines.append("| run | iterations | final val mIoU | best val mIoU (iteration) | wall time | extra arguments |")
    lines.append("|---|---|---|---|---|---|")
    for (m, s), r in runs.items():
        name = "%s-s%s" % (m, s)
        if r["finished"]:
            args = r.get("args")
            lines.append("| %s | %d | %s | %s (%s) | %s | %s |" % (
                name, r["iterations"], fmt(r["miou"]), fmt(r["best_miou"]), r["best_iter"], fmt_wall(r.get("wall_s")),
                "`%s`" % " ".join(args) if args else ("none" if args == [] else "not recorded")))
        else:
            log = r["dir"] + ".log"
            why = r["why"] + ("; log: %s" % log if os.path.isfile(log) else "")
            lines.append("| %s | – | not finished: %s | – | – | – |" % (name, why))
    lines.append("")
    return "\n".join(lines)


def is_finished(argv):
    run_dir = argv[0]
    info = inspect(run_dir)
    if info["finished"] and len(argv) > 1 and argv[1] == "--":
        wanted = argv[2:]
        if info.get("args") is not None and info["args"] != wanted:
            print("warning: %s was made with the arguments %s, not %s" % (run_dir, info["args"], wanted),
                  file=sys.stderr)
    return 0 if info["finished"] else 1


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--is-finished":
        if len(sys.argv) < 3:
            print("usage: summarise.py --is-finished RUN_DIR [-- ARGS...]", file=sys.stderr)
            return 2
        return is_finished(sys.argv[2:])
    parser = argparse.ArgumentParser(description="Summarise bench/methods runs into a Markdown table.")
    parser.add_argument("--runs", default=DEFAULT_RUNS, help="folder holding <method>-s<seed>/ run folders")
    parser.add_argument("--methods", help="space-separated methods, in table order (default: found in --runs)")
    parser.add_argument("--seeds", help="space-separated seeds (default: found in --runs)")
    parser.add_argument("--command", default="", help="the command line that produced the runs")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="Markdown file to write")
    args = parser.parse_args()
    found_methods, found_seeds = discover(args.runs)
    methods = args.methods.split() if args.methods else found_methods
    seeds = args.seeds.split() if args.seeds else found_seeds
    if not methods or not seeds:
        print("no runs found in %s" % args.runs, file=sys.stderr)
        return 1
    text = summarise(args.runs, methods, seeds, args.command)
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    print("wrote %s" % args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
