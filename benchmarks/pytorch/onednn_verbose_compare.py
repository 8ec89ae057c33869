#!/usr/bin/env python3
"""Per-primitive comparison of two oneDNN verbose logs (DNNL_VERBOSE=1 / ONEDNN_VERBOSE=1), rpg4j against PyTorch.

Groups every executed primitive by kind, problem (convolutions: with the padding digits masked, since DL4J's Same
mode pads a stride-2 convolution on the bottom/right only and PyTorch on both sides) and pass (forward_training,
backward_data, backward_weights; reorders by shape and source/destination layout), and prints a Markdown table:
implementation oneDNN picked, calls per training step, median and fastest execution time (ms) on each side, then
per kind the sums per step (of the means, of the medians and of the minima; the minima stand for the primitive's
own cost on an unloaded core, the rest for what it cost in that run).

Usage: onednn_verbose_compare.py RPG4J_LOG RPG4J_STEPS PYTORCH_LOG PYTORCH_STEPS
  RPG4J_LOG: output of org.rpg4j.benchmarks.onednn.FitThreadCpu with DNNL_VERBOSE=1 (only the lines after
  "=== timed" count); PYTORCH_LOG: output of cifar_speed.py with DNNL_VERBOSE=1 (every step counts: pass
  warm-up + iterations as PYTORCH_STEPS).
"""
import collections
import re
import statistics
import sys


def load(path, steps, start=None):
    on = start is None
    calls = collections.defaultdict(list)
    with open(path, errors='replace') as f:
        for line in f:
            if not on:
                on = line.startswith(start)
                continue
            if not (line.startswith('onednn_verbose,exec') or line.startswith('dnnl_verbose,exec')):
                continue
            p = line.rstrip('\n').split(',')
            prim, impl, prop, mds, prob, ms = p[3], p[4], p[5], p[6], p[9], float(p[10])
            if prim == 'reorder':
                layouts = ' '.join(m.split(':')[-2] for m in mds.split())
                key = (prim, prob + ' ' + layouts, '')
            else:
                prob = re.sub(r'p([hw])[01]', r'p\1*', prob)
                key = (prim, prob, prop)
            calls[key].append((ms, impl))
    return {k: (len(v) / steps, statistics.median(x for x, _ in v), min(x for x, _ in v),
                sum(x for x, _ in v) / steps, v[0][1]) for k, v in calls.items()}


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    ours = load(sys.argv[1], float(sys.argv[2]), '=== timed')
    theirs = load(sys.argv[3], float(sys.argv[4]))
    keys = sorted(set(ours) | set(theirs), key=lambda k: (k[0] != 'convolution', k[1], k[2]))
    sums = [collections.Counter(), collections.Counter()]
    print('| primitive | pass | rpg4j impl | calls/step | median ms | min ms '
          '| PyTorch impl | calls/step | median ms | min ms |')
    print('|---|---|---|---:|---:|---:|---|---:|---:|---:|')

    def cells(x):
        return f'{x[4]} | {x[0]:.0f} | {x[1]:.2f} | {x[2]:.2f}' if x else '- | 0 | - | -'

    for k in keys:
        a, b = ours.get(k), theirs.get(k)
        print(f'| {k[1]} | {k[2]} | {cells(a)} | {cells(b)} |')
        for side, x in ((0, a), (1, b)):
            if x:
                kind = k[0] + (' ' + k[2] if k[2] else '')
                sums[side][kind + ', sum of means'] += x[3]
                sums[side][kind + ', sum of medians'] += x[0] * x[1]
                sums[side][kind + ', sum of minima'] += x[0] * x[2]
    print()
    for k in sorted(set(sums[0]) | set(sums[1])):
        print(f'{k:50s} rpg4j {sums[0][k]:8.1f}  PyTorch {sums[1][k]:8.1f} ms per step')


if __name__ == '__main__':
    main()
