#!/usr/bin/env python3
"""Issue 17's "find out why": how much of the unlabeled batch passes the confidence threshold over a run, beside the
validation curve, for every run of a grid that logs `mask_ratio` (fixmatch, unimatch).

    python3 bench/camvid-mask-ratio.py [bench/out/camvid-views] > bench/results/camvid-views/mask-ratio.md

Reads each run folder's metrics.jsonl (no torch, no training). `mask_ratio` is the share of the unlabeled pixels
whose pseudo-label's probability reaches the threshold (0.95 by default), logged every 10 iterations; the table gives
its mean over each 500-iteration window, and the validation mIoU logged at the window's end. Unfinished runs are
listed with the windows they reached.
"""
import json
import os
import sys

WINDOW = 500


def read(folder):
    """(mask-ratio sums and counts per window, {iteration: val mIoU}) of one run's metrics.jsonl."""
    sums, counts, val = {}, {}, {}
    with open(os.path.join(folder, "metrics.jsonl")) as f:
        for line in f:
            row = json.loads(line)
            it = row.get("iter")
            if it is None:
                continue
            if "mask_ratio" in row:
                w = (it - 1) // WINDOW
                sums[w] = sums.get(w, 0.0) + row["mask_ratio"]
                counts[w] = counts.get(w, 0) + 1
            ev = row.get("eval")
            if ev and ev.get("split") == "val":
                val[it] = 100 * ev["mIoU"]
    return {w: sums[w] / counts[w] for w in sums}, val


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join("bench", "out", "camvid-views")
    rows = []
    for name in sorted(os.listdir(root)):
        folder = os.path.join(root, name)
        if not os.path.isfile(os.path.join(folder, "metrics.jsonl")):
            continue
        ratios, val = read(folder)
        if ratios:
            rows.append((name, ratios, val))
    if not rows:
        sys.exit(f"camvid-mask-ratio: no run under {root} logs mask_ratio")
    windows = max(max(r) for _, r, _ in rows) + 1
    heads = [f"{w * WINDOW + 1}-{(w + 1) * WINDOW}" for w in range(windows)]
    print(f"# Confident share of unlabeled pixels (`mask_ratio`) and val mIoU over each run ({root})\n")
    print("Each cell: mean `mask_ratio` over the window / val mIoU at the window's end (`-`: not reached).\n")
    print("| run | " + " | ".join(heads) + " |")
    print("|---" * (windows + 1) + "|")
    for name, ratios, val in rows:
        cells = []
        for w in range(windows):
            if w not in ratios:
                cells.append("-")
                continue
            v = val.get((w + 1) * WINDOW)
            cells.append(f"{ratios[w]:.3f} / " + (f"{v:.2f}" if v is not None else "-"))
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
