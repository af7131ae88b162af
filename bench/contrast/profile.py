#!/usr/bin/env python3
"""Where the contrastive module's time goes: the self time of each PyTorch op in one memory-bank step with the module
on and in the same step with it off (chrome traces written by `bench/contrast/run.sh profile=DIR`), the difference
per op, largest first. Self time = an event's duration less that of the events nested in it on the same thread.
With shapes in the traces (the bench records them), it also counts each step's FLOPs: convolutions (forward from
the output size their backward reports; backward as input and weight gradients) and 2-D matrix products (the
heads and selectors), so the module's share can be read against its share of the arithmetic.

    python3 bench/contrast/profile.py bench/out/contrast/profile [top] [--shapes]   # --shapes: by op and input shapes
"""
import collections
import json
import sys


SHAPES = False


def self_times(path):
    """{op name: [self ms summed, calls]} over all threads of one trace."""
    events = json.load(open(path))
    if isinstance(events, dict):
        events = events.get("traceEvents", [])
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            name = e["name"] + (" " + json.dumps(e.get("shape")) if SHAPES and e.get("shape") else "")
            by_thread[e.get("tid")].append((float(e["ts"]), float(e["dur"]), name))
    totals = collections.defaultdict(lambda: [0.0, 0])
    for spans in by_thread.values():
        spans.sort(key=lambda s: (s[0], -s[1]))
        stack = []  # [end, name, start, duration, time of the events nested in it]
        def close(until):
            while stack and stack[-1][0] <= until:
                end, name, start, dur, child = stack.pop()
                totals[name][0] += (dur - child) / 1000.0
                totals[name][1] += 1
                if stack:
                    stack[-1][4] += dur
        for ts, dur, name in spans:
            close(ts)
            stack.append([ts + dur, name, ts, dur, 0.0])
        close(float("inf"))
    return totals


def flops(path):
    """GFLOP of one trace: conv forward, conv backward, 2-D matrix products; forward convs of unknown size counted."""
    events = json.load(open(path))
    if isinstance(events, dict):
        events = events.get("traceEvents", [])
    events = [e for e in events if e.get("ph") == "X" and e.get("shape")]
    out_size = {}
    for e in events:
        if e["name"] == "aten::convolution_backward":
            grad_out, x, w = e["shape"][:3]
            out_size[(tuple(x[1:]), tuple(w))] = grad_out[2:]
    total = collections.Counter()
    for e in events:
        name, s = e["name"], e["shape"]
        if name == "aten::mkldnn_convolution":
            x, w = s[0], s[1]
            size = out_size.get((tuple(x[1:]), tuple(w)))
            if size is None:
                total["conv forward, size unknown (calls)"] += 1
            else:
                total["conv forward"] += 2 * x[0] * w[0] * size[0] * size[1] * w[1] * w[2] * w[3] / 1e9
        elif name == "aten::convolution_backward":
            grad_out, w = s[0], s[2]
            total["conv backward"] += 4 * grad_out[0] * grad_out[1] * grad_out[2] * grad_out[3] * w[1] * w[2] * w[3] / 1e9
        elif name in ("aten::mm", "aten::addmm"):
            a, b = (s[0], s[1]) if name == "aten::mm" else (s[1], s[2])
            if len(a) == 2 and len(b) == 2:
                total["2-D matrix products"] += 2 * a[0] * a[1] * b[1] / 1e9
    return total


def main():
    global SHAPES
    args = [a for a in sys.argv[1:] if a != "--shapes"]
    SHAPES = "--shapes" in sys.argv
    folder = args[0]
    top = int(args[1]) if len(args) > 1 else 25
    on, off = self_times(f"{folder}/on.json"), self_times(f"{folder}/off.json")
    total_on = sum(v[0] for v in on.values())
    total_off = sum(v[0] for v in off.values())
    print(f"profiled self time: with the module {total_on:.1f} ms, without {total_off:.1f} ms, "
          f"difference {total_on - total_off:.1f} ms")
    rows = []
    for name in set(on) | set(off):
        a, b = on.get(name, [0.0, 0]), off.get(name, [0.0, 0])
        rows.append((a[0] - b[0], a[1] - b[1], a[0], a[1], name))
    rows.sort(reverse=True)
    print(f"| op | extra ms | extra calls | ms with | calls with |\n|---|---|---|---|---|")
    for d, dc, ms, calls, name in rows[:top]:
        print(f"| {name} | {d:.1f} | {dc} | {ms:.1f} | {calls} |")
    f_on, f_off = flops(f"{folder}/on.json"), flops(f"{folder}/off.json")
    if f_on:
        print("\n| GFLOP | with the module | without |\n|---|---|---|")
        for key in sorted(set(f_on) | set(f_off)):
            print(f"| {key} | {f_on.get(key, 0):.2f} | {f_off.get(key, 0):.2f} |")
        known = lambda f: sum(v for k, v in f.items() if "unknown" not in k)
        heads = f_on.get("2-D matrix products", 0) - f_off.get("2-D matrix products", 0)
        bank = f_on.get("conv forward", 0) - f_off.get("conv forward", 0)
        print(f"\nof the step's {known(f_on):.1f} GFLOP: heads and selectors {heads:.2f} ({100 * heads / known(f_on):.1f} %), "
              f"the bank pass {bank:.2f} ({100 * bank / known(f_on):.1f} %)")


if __name__ == "__main__":
    main()
