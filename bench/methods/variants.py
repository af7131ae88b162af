#!/usr/bin/python3
"""A table of one method's variants on the demo, each against the first variant (the default) paired by seed.

    variants.py OUTPUT --title T --about TEXT --runs 'bench/out/methods-NAME-{v}/METHOD-s{s}'
                --variants "default a b" --seeds "1 2 3" [--metric KEY --metric-label TEXT --metric-from ITER]

Each run is a folder of bench/methods/run.sh; a run counts once its final validation is in (summarise.inspect), and
its result is that final val mIoU. Per variant: the mIoU per seed, their mean, the variant minus the default on the
same seeds (mean ± sample sd, n), with the 95 % t interval and the paired t-test's p where n ≥ 2 (scipy; left out
without it), and optionally the mean of a logged value (KEY of metrics.jsonl, from iteration ITER on).
"""

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import summarise  # noqa: E402  the method tables' reader

try:
    from scipy import stats
except ImportError:  # the interval and p are left out
    stats = None


def result(pattern, v, s, metric, metric_from):
    """(final val mIoU in percent, mean of the metric) of a finished run; (None, None) otherwise."""
    run = pattern.format(v=v, s=s)
    info = summarise.inspect(run)
    if not info["finished"]:
        return None, None
    values = []
    if metric:
        values = [r[metric] for r in summarise.read_metrics(os.path.join(run, "metrics.jsonl"))
                  if metric in r and r.get("iter", 0) >= metric_from]
    return info["miou"], (statistics.mean(values) if values else None)


def paired(diffs):
    """'+m ± sd (n k)' and '[lo, hi] | p' of paired differences; dashes where n < 2 or without scipy."""
    if not diffs:
        return "-", "-", "-"
    text = "%+.2f" % statistics.mean(diffs)
    if len(diffs) < 2:
        return text + " (n 1)", "n < 2", "n < 2"
    sd = statistics.stdev(diffs)
    text += " ± %.2f (n %d)" % (sd, len(diffs))
    if stats is None:
        return text, "-", "-"
    half = stats.t.ppf(0.975, len(diffs) - 1) * sd / len(diffs) ** 0.5
    mean = statistics.mean(diffs)
    p = stats.ttest_1samp(diffs, 0).pvalue if sd > 0 else float("nan")
    return text, "[%+.2f, %+.2f]" % (mean - half, mean + half), "%.3f" % p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("output")
    ap.add_argument("--title", required=True)
    ap.add_argument("--about", required=True, help="the paragraph under the title: command, settings, what moved")
    ap.add_argument("--runs", required=True, help="run folder pattern with {v} (variant) and {s} (seed)")
    ap.add_argument("--variants", required=True)
    ap.add_argument("--seeds", required=True)
    ap.add_argument("--metric")
    ap.add_argument("--metric-label")
    ap.add_argument("--metric-from", type=int, default=0)
    a = ap.parse_args()
    variants, seeds = a.variants.split(), a.seeds.split()
    got = {v: {s: result(a.runs, v, s, a.metric, a.metric_from) for s in seeds} for v in variants}
    base = variants[0]
    head = "| variant | val mIoU per seed | mean | minus %s, paired | 95 %% CI | p |" % base
    rule = "|---|---|---|---|---|---|"
    if a.metric:
        head += " %s |" % (a.metric_label or a.metric)
        rule += "---|"
    rows = [head, rule]
    for v in variants:
        miou = [got[v][s][0] for s in seeds]
        done = [x for x in miou if x is not None]
        diffs = [got[v][s][0] - got[base][s][0] for s in seeds
                 if got[v][s][0] is not None and got[base][s][0] is not None]
        gain, ci, p = ("-", "-", "-") if v == base else paired(diffs)
        row = "| %s | %s | %s | %s | %s | %s |" % (
            v, ", ".join("-" if x is None else "%.2f" % x for x in miou),
            "%.2f" % statistics.mean(done) if done else "-", gain, ci, p)
        if a.metric:
            ms = [got[v][s][1] for s in seeds if got[v][s][1] is not None]
            row += " %s |" % ("%.3f" % statistics.mean(ms) if ms else "-")
        rows.append(row)
    with open(a.output, "w") as f:
        f.write("# %s\n\n%s\n\n%s\n" % (a.title, a.about, "\n".join(rows)))
        f.write("\nThe paired column is the variant minus %s on the same seed (its labeled split), mean ± sample sd; "
                "the interval is mean ± t(0.975, n−1)·sd/√n and p the two-sided paired t-test (scipy), no correction "
                "for several rows.\n" % base)
    print("wrote " + a.output)


if __name__ == "__main__":
    main()
