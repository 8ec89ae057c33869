#!/usr/bin/env bash
# Accuracy of the structured methods on Fashion-MNIST (docs/structured.md, "Accuracy on
# Fashion-MNIST"): l1-filter, slimming and ssl at two channel sparsities, each fine-tuned and, as a
# second result of the same run, its shrunk architecture trained from scratch (Scratch-E). Prints a
# markdown table.
#
#   examples/structured-study.sh [output-dir] [extra options]   # default results/structured-study
#   e.g. examples/structured-study.sh results/study-b --from-scratch scratch-b
#
# Budget: the small CNN, 2,000 training images, 1 epoch of training (15 iterations of 128), 1 epoch
# of fine-tuning, Scratch-E 1 epoch; 1,000 test images; one seed (42); default penalties (lambda 1e-4).
# Six runs of about 20 s each on an idle 2-core machine. Finished runs are kept: run the same command
# again to resume (after an interruption, delete the left-over *.lock directories first). Several
# instances may run at once on the same output directory: each run is claimed by one of them. The
# compiled classes are copied first, so the sources can change while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-results/structured-study}")"
shift $(( $# > 0 ? 1 : 0 ))
extra=("$@")
[[ ${#extra[@]} -eq 0 ]] && extra=(--from-scratch scratch-e)
mkdir -p "$out"
# shellcheck source=classes-snapshot.sh
source examples/classes-snapshot.sh
cp_line="$(classes_snapshot "$out")"
for method in l1-filter slimming ssl; do
    for sparsity in 0.3 0.6; do
        run="$out/$method-$sparsity"
        [[ -f "$run/results.json" ]] && continue
        mkdir "$run.lock" 2> /dev/null || continue # another instance of this script has it
        nice -n 5 java -Xmx3g -cp "$cp_line" org.rpg4j.examples.TrainAndPrune --model small-cnn \
            --dataset fashion-mnist --method "$method" --channel-sparsity "$sparsity" --epochs 1 --subset 2000 \
            --test-subset 1000 --batch-size 128 --lr 0.05 --warmup-epochs 0.2 --fine-tune-epochs 1 \
            --progress-every 5 --results-only "${extra[@]}" --output "$run" > "$out/$method-$sparsity.log" 2>&1 \
            || echo "run $run failed"
        rmdir "$run.lock"
    done
done
python3 - "$out" <<'EOF'
import json, os, sys
out = sys.argv[1]
def pct(x):
    return "-" if x is None else f"{100 * x:.1f}"
print("| method | channel sparsity | params after / before | MACs after / before | trained (before pruning) | pruned, no fine-tuning | fine-tuned | from scratch (epochs) | img/s batch 1 before -> after | img/s batch 64 before -> after |")
print("|---|---|---|---|---|---|---|---|---|---|")
for method in ["l1-filter", "slimming", "ssl"]:
    for s in ["0.3", "0.6"]:
        try:
            r = json.load(open(os.path.join(out, f"{method}-{s}", "results.json")))
        except OSError:
            print(f"| {method} | {s} | (missing) | | | | | | | |")
            continue
        st, c = r["structured"], r["compaction"]
        b, a = c["imagesPerSecondBefore"], c["imagesPerSecondAfter"]
        print(f"| {method} | {s} | {100 * c['paramsAfter'] / c['paramsBefore']:.1f} % | "
              f"{100 * c['macsAfter'] / c['macsBefore']:.1f} % | {pct(st['accuracyBeforePruning'])} | "
              f"{pct(st['accuracyAfterPruning'])} | {pct(st['accuracyFineTuned'])} | "
              f"{pct(st['accuracyScratch'])} ({st['fromScratch']}, {st['scratchEpochs']}) | "
              f"{b['batch1']:.3g} -> {a['batch1']:.3g} | {b['batch64']:.3g} -> {a['batch64']:.3g} (load {c['loadAverage']:.0f}) |")
EOF
