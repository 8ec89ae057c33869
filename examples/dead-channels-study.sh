#!/usr/bin/env bash
# How many channels unstructured runs (gmp, rigl, rpg) at 90-99 % sparsity lose for free: each run
# trains the small CNN on Fashion-MNIST while pruning it, then removes the channels it emptied
# (outputs unchanged) and reports the channels, parameters and multiply-adds per image before and
# after. Prints a markdown table (docs/structured.md, "Channels unstructured runs lose for free"),
# each cell the mean +- standard deviation over the seeds finished so far.
#
#   examples/dead-channels-study.sh [output-dir]             # default results/dead-channels
#   SEEDS="42 43 44" examples/dead-channels-study.sh DIR     # the seeds to run, in order (default: 42 43 44)
#   TABLE_ONLY=1 examples/dead-channels-study.sh DIR         # print the table of the finished runs, run nothing
#
# Budget: the README's main job (TrainAndPrune.DEFAULT_JOB): the first 6,000 training images, 4 epochs
# of 128-image batches (184 iterations), lr 0.05 with 0.2 epochs of warm-up, 2,000 test images, the
# default ramp (target at 90 % of training) and rank loss (lambda 0.5, partialK 0.1); deltaT 10: 16
# topology updates, whose optimizer steps rigl and rpg skip (16 of 184 iterations, 8.7 %; deltaT 1
# would skip 164 of 184 and is refused). Sparsities 0.9 and 0.99 run first, then 0.95 and 0.98; all
# runs of one seed finish before the next seed starts. Finished runs are kept: run the same command
# again to resume (after an interruption, delete the left-over *.lock directories first). Several
# instances may run at once on the same output directory: each run is claimed by one of them. The
# compiled classes are copied first, so the sources can change while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-results/dead-channels}")"
seeds=(${SEEDS:-42 43 44})
methods=(gmp rigl rpg)
sparsities=(0.9 0.99 0.95 0.98)
mkdir -p "$out"
if [[ -z "${TABLE_ONLY:-}" ]]; then
    # shellcheck source=classes-snapshot.sh
    source examples/classes-snapshot.sh
    cp_line="$(classes_snapshot "$out")"
    for seed in "${seeds[@]}"; do
        for sparsity in "${sparsities[@]}"; do
            for method in "${methods[@]}"; do
                run="$out/seed$seed/$method-$sparsity"
                [[ -f "$run/results.json" ]] && continue
                mkdir -p "$out/seed$seed"
                mkdir "$run.lock" 2> /dev/null || continue # another instance of this script has it
                nice -n 5 java -Xmx3g -cp "$cp_line" org.rpg4j.examples.TrainAndPrune --model small-cnn \
                    --dataset fashion-mnist --method "$method" --sparsity "$sparsity" --epochs 4 --subset 6000 \
                    --test-subset 2000 --batch-size 128 --lr 0.05 --warmup-epochs 0.2 --delta-t 10 \
                    --seed "$seed" --progress-every 23 --results-only --output "$run" > "$run.log" 2>&1 \
                    || echo "run $run failed"
                rmdir "$run.lock"
            done
        done
    done
fi
python3 - "$out" "${methods[*]}" <<'EOF'
import glob, json, os, re, statistics, sys
out, methods = sys.argv[1], sys.argv[2].split()

def cell(values, fmt="{:.1f}", scale=1.0):
    """mean +- standard deviation (sample) of the values; the mean alone for one value."""
    if not values:
        return "-"
    m = fmt.format(statistics.mean(values) * scale)
    return m if len(values) == 1 else f"{m} +- {fmt.format(statistics.stdev(values) * scale)}"

def channels(table):
    """(layer, channels before, after) of the conv and dense layers of a dead_channels.txt table."""
    return [(m.group(1), int(m.group(3)), int(m.group(4)))
            for m in re.finditer(r"^(\S+)\s+(\S+)\s+(\d+) -> (\d+)\s", table, re.M)
            if "Convolution" in m.group(2) or ("Dense" in m.group(2))]

print("| method | sparsity | seeds | test accuracy % | channels removed (of c1/c2/fc1) | channels left c1 / c2 / fc1 "
      "| parameters after / before | MACs/image after / before |")
print("|---|---|---|---|---|---|---|---|")
for s in ["0.9", "0.95", "0.98", "0.99"]:
    for method in methods:
        runs = []
        for d in sorted(glob.glob(os.path.join(out, "seed*", f"{method}-{s}"))):
            try:
                runs.append((json.load(open(os.path.join(d, "results.json"))),
                             open(os.path.join(d, "dead_channels.txt")).read()))
            except OSError:
                pass
        if not runs:
            print(f"| {method} | {s} | 0 | (not run) | | | | |")
            continue
        acc = [r["summary"]["finalTestAccuracy"] for r, _ in runs]
        layers = [channels(t) for _, t in runs]
        total = sum(b for _, b, _ in layers[0])
        removed = [sum(b - a for _, b, a in ls) for ls in layers]
        left = " / ".join(cell([ls[i][2] for ls in layers], "{:.0f}") for i in range(len(layers[0])))
        totals = [tuple(map(int, re.search(r"total: parameters (\d+) -> (\d+), MACs/image (\d+) -> (\d+)", t).groups()))
                  for _, t in runs]
        pb, mb = totals[0][0], totals[0][2]
        seeds = ", ".join(str(r["options"]["seed"]) for r, _ in runs)
        print(f"| {method} | {s} | {seeds} | {cell(acc, scale=100)} | {cell(removed, '{:.0f}')} of {total} | {left} | "
              f"{cell([t[1] / t[0] for t in totals], scale=100)} % of {pb:,} | "
              f"{cell([t[3] / t[2] for t in totals], scale=100)} % of {mb:,} |")
loads = [r["machine"].get("loadAverage") for f in glob.glob(os.path.join(out, "seed*", "*", "results.json"))
         for r in [json.load(open(f))]]
loads = [x for x in loads if x is not None and x >= 0]
if loads:
    print(f"\nload average recorded by the runs: {min(loads):.1f} to {max(loads):.1f}")
EOF
