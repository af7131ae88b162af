#!/usr/bin/env python3
"""Issue 16's CamVid table: memory-bank and classmix with shared-geometry views (bench/results/camvid/, before the
method platform) beside their rerun with independent view geometry (bench/results/camvid-views/), each paired by
labeled split with the supervised baseline of its own grid.

    python3 bench/camvid-views-table.py > bench/results/camvid/views.md

Reads only the two grids' results.json (no torch, no training). Statistics as bench/README.md, "Statistics": the
mean of the paired differences, its 95 % t interval and the two-sided paired t-test's p (scipy), none below 2 pairs.
"""
import json
import math
import os
import sys

from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
GRIDS = [("shared-geometry views", "camvid"), ("independent views", "camvid-views")]
METHODS = ["memory-bank", "classmix"]
RATIO = "1/8"


def load(name):
    with open(os.path.join(HERE, "results", name, "results.json")) as f:
        grid = json.load(f)
    tests = {}
    for r in grid["runs"]:
        if r["status"] == "finished" and r.get("tag") is None and r["ratio"] == RATIO and r["seed"] <= 3:
            tests[(r["method"], r["seed"])] = 100 * r["test_miou"]
    return grid, tests


def paired(xs):
    """Mean, sample std, 95 % t interval and two-sided p of a list of paired differences (None below 2)."""
    n = len(xs)
    if n == 0:
        return None
    mean = sum(xs) / n
    if n < 2:
        return mean, None, None, None
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (n - 1))
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    p = stats.ttest_1samp(xs, 0.0).pvalue if sd > 0 else 0.0
    return mean, sd, (mean - half, mean + half), p


def fmt(s):
    if s is None:
        return "-", "-", "-"
    mean, sd, ci, p = s
    if sd is None:
        return f"{mean:+.2f} (1)", "-", "-"
    return f"{mean:+.2f} ± {sd:.2f}", f"[{ci[0]:+.2f}, {ci[1]:+.2f}]", f"{p:.3f}"


def compared(label, d):
    """A table row of per-split differences d {split: value} with their paired statistics."""
    mean, ci, p = fmt(paired(list(d.values())))
    per = ", ".join(f"{d[s]:+.2f}" if s in d else "-" for s in (1, 2, 3))
    return f"| {label} | {per} | {mean} | {ci} | {p} |"


def main():
    grids = {label: load(name) for label, name in GRIDS}
    out = ["# CamVid 1/8: memory-bank and classmix, shared-geometry views beside independent views", ""]
    out.append("Written by `python3 bench/camvid-views-table.py > bench/results/camvid/views.md` from")
    for label, name in GRIDS:
        g = grids[label][0]
        out.append(f"- `bench/results/{name}/results.json` ({label}): grid `{g['grid']}`, commit "
                   f"{g['commit'][:10]}, written {g['date']}")
    out += ["", "Test mIoU (percent) of the best-on-val checkpoint; 4,000 iterations at a quarter of the resolution, "
            "from scratch, splits 1-3 of 1/8 (46 labeled images). Each grid's methods are paired by split with the "
            "supervised runs of the same grid (same machine and oneDNN settings). The supervised baseline "
            "was rerun for the independent views on today's machine with oneDNN limited to AVX2 (README, \"Known "
            "issues\"; the shared-geometry grid ran before that, on another CPU), and it moved by itself, so compare "
            "gains, not raw mIoU, across the two grids.", "",
            "| method | views | test mIoU, splits 1, 2, 3 | gain over its grid's supervised, per split | "
            "mean ± std | 95 % CI | p |", "|---|---|---|---|---|---|---|"]
    gains = {}
    for method in ["supervised"] + METHODS:
        for label, _ in GRIDS:
            tests = grids[label][1]
            per = [tests.get((method, s)) for s in (1, 2, 3)]
            cells = ", ".join("(not run)" if v is None else f"{v:.2f}" for v in per)
            if method == "supervised":
                out.append(f"| supervised | {label} (its grid's baseline) | {cells} | - | - | - | - |")
                continue
            g = {s: tests[(method, s)] - tests[("supervised", s)] for s in (1, 2, 3)
                 if (method, s) in tests and ("supervised", s) in tests}
            gains[(method, label)] = g
            mean, ci, p = fmt(paired(list(g.values())))
            per_gain = ", ".join(f"{g[s]:+.2f}" if s in g else "-" for s in (1, 2, 3))
            out.append(f"| {method} | {label} | {cells} | {per_gain} | {mean} | {ci} | {p} |")
    out += ["", "## What independent views changed", "",
            "The change of the paired gain, split by split: (method − supervised) with independent views minus "
            "(method − supervised) with shared-geometry views, on the same labeled split. Then memory-bank − "
            "classmix within each grid.", "",
            "| comparison | per split (1, 2, 3) | mean ± std | 95 % CI | p |", "|---|---|---|---|---|"]
    old, new = GRIDS[0][0], GRIDS[1][0]
    for method in METHODS:
        a, b = gains[(method, new)], gains[(method, old)]
        d = {s: a[s] - b[s] for s in (1, 2, 3) if s in a and s in b}
        out.append(compared(f"{method}: gain with independent − gain with shared-geometry views", d))
    for label, _ in GRIDS:
        tests = grids[label][1]
        d = {s: tests[("memory-bank", s)] - tests[("classmix", s)] for s in (1, 2, 3)
             if ("memory-bank", s) in tests and ("classmix", s) in tests}
        out.append(compared(f"memory-bank − classmix, {label}", d))
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
