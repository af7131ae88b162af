#!/usr/bin/env python3
"""Records the supervised reference curve that run reports draw beside a demo run at the same settings.

    bench/methods/reference.py bench/out/methods-platform/supervised-s{1,2,3} \
        > src/main/resources/org/semiseg/report/demo-supervised-reference.json

Each run folder must be a finished supervised run at the settings listed in SETTINGS (the demo's defaults; the
test ReferenceCurveTest checks that configs/demo.yaml still has them, so a change of a default asks for a new
recording). The curve is the mean of the runs' validation mIoU at each evaluation.
"""
import json
import os
import subprocess
import sys

import yaml

# The settings that shape a supervised curve on the demo, with the demo's default values. A method's own keys, the
# seed and split seed, logging and checkpoint cadence, threads and data loading do not enter.
SETTINGS = {
    "data.dataset": "demo", "data.labeled": "1/8", "data.resize": None, "data.val_split": None, "data.split_dir": None,
    "data.demo.seed": 7, "data.demo.train_images": 512, "data.demo.val_images": 128, "data.demo.size": 64,
    "data.source.dataset": None,
    "augment.labeled": None, "augment.crop": None,
    "model.arch": "deeplabv3plus", "model.backbone": "resnet18", "model.output_stride": 8, "model.width": 0.25,
    "model.pretrained": None,
    "train.iterations": 1500, "train.batch_size": 8, "train.lr": 0.01, "train.head_lr_multiplier": 10.0,
    "train.momentum": 0.9, "train.weight_decay": 0.0005, "train.poly_power": 0.9, "train.class_balancing": True,
    "eval.mode": "whole", "eval.flip": False, "eval.scales": [1.0],
}
# supervised's own labeled preset is `weak`: a run that wrote it out (before augment.labeled defaulted to null,
# the method's preset) trained exactly as one with null
SAME = {("augment.labeled", "weak"): None}


def lookup(config, dotted):
    node = config
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def main(runs):
    curves, seeds, commits = {}, [], set()
    for run in runs:
        with open(os.path.join(run, "config.yaml")) as f:
            config = yaml.safe_load(f)
        if lookup(config, "method.name") != "supervised":
            sys.exit("%s: not a supervised run" % run)
        for key, want in SETTINGS.items():
            got = lookup(config, key)
            if (key, str(got)) in SAME:
                got = SAME[(key, str(got))]
            if got != want and not (isinstance(got, (int, float)) and isinstance(want, (int, float)) and float(got) == float(want)):
                sys.exit("%s: %s is %r, the demo's default is %r" % (run, key, got, want))
        points = {}
        with open(os.path.join(run, "metrics.jsonl")) as f:
            for line in f:
                row = json.loads(line)
                if "eval" in row and row["eval"].get("split", "val") == "val":
                    points[row["iter"]] = row["eval"]["mIoU"]
        if max(points, default=0) != SETTINGS["train.iterations"]:
            sys.exit("%s: not finished (last evaluation at %s)" % (run, max(points, default=None)))
        seeds.append(config["seed"])
        curves[config["seed"]] = points
        bench = os.path.join(run, "bench.json")
        if os.path.exists(bench):
            with open(bench) as f:
                commits.add(json.load(f).get("commit", "")[:10])
    iterations = sorted(set.intersection(*(set(p) for p in curves.values())))
    mean = [round(sum(curves[s][i] for s in seeds) / len(seeds), 6) for i in iterations]
    commit = ", ".join(sorted(commits)) or "unknown"
    out = {
        "label": "supervised, same settings (mean of seeds %s)" % ", ".join(str(s) for s in sorted(seeds)),
        "about": "validation mIoU of supervised runs on the demo at its default settings, one per seed and labeled"
                 " split, recorded by bench/methods/reference.py from runs made at commit %s" % commit,
        "commit": commit,
        "settings": SETTINGS,
        "iterations": iterations,
        "miou": mean,
        "seeds": {str(s): [round(curves[s][i], 6) for i in iterations] for s in sorted(seeds)},
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
