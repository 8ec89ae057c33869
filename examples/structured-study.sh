#!/usr/bin/env bash
# Accuracy of the structured methods on Fashion-MNIST (docs/structured.md, "Accuracy on
# Fashion-MNIST"): l1-filter, slimming and ssl at channel sparsity 0.3 and 0.6. Each run trains,
# removes the channels (accuracy without fine-tuning), fine-tunes the shrunk network, and trains the
# shrunk architecture from scratch twice (Scratch-E, then Scratch-B). Prints a markdown table, each
# cell the mean +- standard deviation over the seeds finished so far.
#
#   examples/structured-study.sh [output-dir]              # default results/structured-study
#   SEEDS="42 43 44" examples/structured-study.sh DIR      # the seeds to run, in order (default: 42 43 44)
#   TABLE_ONLY=1 examples/structured-study.sh DIR          # print the table of the finished runs, run nothing
#
# Budget: the README's main job (TrainAndPrune.DEFAULT_JOB): the small CNN, the first 6,000
# Fashion-MNIST training images, 4 epochs of 128-image batches (184 iterations), lr 0.05 with 0.2
# epochs of warm-up, 2,000 test images; then 1 epoch of fine-tuning, Scratch-E 4 epochs, Scratch-B
# 4 epochs times the MAC reduction (at most 8); default penalties (lambda 1e-4). All runs of one seed
# finish before the next seed starts. Finished runs are kept: run the same command again to resume
# (after an interruption, delete the left-over *.lock directories first). Several instances may run
# at once on the same output directory: each run is claimed by one of them. The compiled classes are
# copied first, so the sources can change while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-results/structured-study}")"
seeds=(${SEEDS:-42 43 44})
methods=(l1-filter slimming ssl)
sparsities=(0.3 0.6)
mkdir -p "$out"
if [[ -z "${TABLE_ONLY:-}" ]]; then
    # shellcheck source=classes-snapshot.sh
    source examples/classes-snapshot.sh
    cp_line="$(classes_snapshot "$out")"
    for seed in "${seeds[@]}"; do
        for method in "${methods[@]}"; do
            for sparsity in "${sparsities[@]}"; do
                run="$out/seed$seed/$method-$sparsity"
                [[ -f "$run/results.json" ]] && continue
                mkdir -p "$out/seed$seed"
                mkdir "$run.lock" 2> /dev/null || continue # another instance of this script has it
                nice -n 5 java -Xmx3g -cp "$cp_line" org.rpg4j.examples.TrainAndPrune --model small-cnn \
                    --dataset fashion-mnist --method "$method" --channel-sparsity "$sparsity" --epochs 4 \
                    --subset 6000 --test-subset 2000 --batch-size 128 --lr 0.05 --warmup-epochs 0.2 \
                    --fine-tune-epochs 1 --from-scratch both --seed "$seed" --progress-every 23 --results-only \
                    --output "$run" > "$run.log" 2>&1 || echo "run $run failed"
                rmdir "$run.lock"
            done
        done
    done
fi
python3 - "$out" "${methods[*]}" "${sparsities[*]}" <<'EOF'
import glob, json, os, statistics, sys
out, methods, sparsities = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()

def cell(values, scale=100.0, digits=1):
    """mean +- standard deviation (sample) of the values, in percent; the mean alone for one value."""
    if not values:
        return "-"
    m = statistics.mean(values) * scale
    if len(values) == 1:
        return f"{m:.{digits}f}"
    return f"{m:.{digits}f} +- {statistics.stdev(values) * scale:.{digits}f}"

print("| method | channel sparsity | seeds | params after / before | MACs after / before | trained (before pruning) "
      "| pruned, no fine-tuning | fine-tuned (1 epoch) | Scratch-E (epochs) | Scratch-B (epochs) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for method in methods:
    for s in sparsities:
        runs = []
        for f in sorted(glob.glob(os.path.join(out, "seed*", f"{method}-{s}", "results.json"))):
            runs.append(json.load(open(f)))
        if not runs:
            print(f"| {method} | {s} | 0 | (not run) | | | | | | |")
            continue
        st = [r["structured"] for r in runs]
        c = [r["compaction"] for r in runs]
        scratch = {k: [x for r in st for x in r["scratch"] if x["kind"] == k] for k in ("scratch-e", "scratch-b")}
        def scratch_cell(kind):
            xs = scratch[kind]
            epochs = sorted({x["epochs"] for x in xs})
            return f"{cell([x['accuracy'] for x in xs])} ({'/'.join(map(str, epochs))})" if xs else "-"
        seeds = ", ".join(str(r["options"]["seed"]) for r in runs)
        print(f"| {method} | {s} | {seeds} | {cell([x['paramsAfter'] / x['paramsBefore'] for x in c])} % | "
              f"{cell([x['macsAfter'] / x['macsBefore'] for x in c])} % | "
              f"{cell([x['accuracyBeforePruning'] for x in st])} | {cell([x['accuracyAfterPruning'] for x in st])} | "
              f"{cell([x['accuracyFineTuned'] for x in st if x['accuracyFineTuned'] is not None])} | "
              f"{scratch_cell('scratch-e')} | {scratch_cell('scratch-b')} |")
loads = [r["compaction"]["loadAverage"] for f in glob.glob(os.path.join(out, "seed*", "*", "results.json"))
         for r in [json.load(open(f))]]
if loads:
    print(f"\nload average at the end of the runs: {min(loads):.1f} to {max(loads):.1f}")
EOF
