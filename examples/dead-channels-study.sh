#!/usr/bin/env bash
# How many channels unstructured runs (gmp, rigl, rpg) at 90-99 % sparsity lose for free: each run
# trains the small CNN on Fashion-MNIST, then removes the channels it emptied (outputs unchanged) and
# reports the channels, parameters and multiply-adds per image before and after. Prints a markdown
# table (docs/structured.md, "Channels unstructured runs lose for free").
#
#   examples/dead-channels-study.sh [output-dir]     # default results/dead-channels
#
# Budget: 2,000 training images, 1 epoch (15 iterations of 128), deltaT 1, one seed (42), 1,000
# test images. 12 runs of about 15 s each on an idle 2-core machine. Finished runs are kept: run
# the same command again to resume (after an interruption, delete the left-over *.lock directories
# first). Several instances may run at once on the same output directory: each run is claimed by one
# of them. The compiled classes are copied first, so the sources can change while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-results/dead-channels}")"
mkdir -p "$out"
# shellcheck source=classes-snapshot.sh
source examples/classes-snapshot.sh
cp_line="$(classes_snapshot "$out")"
for method in gmp rigl rpg; do
    for sparsity in 0.9 0.95 0.98 0.99; do
        run="$out/$method-$sparsity"
        [[ -f "$run/results.json" ]] && continue
        mkdir "$run.lock" 2> /dev/null || continue # another instance of this script has it
        nice -n 5 java -Xmx3g -cp "$cp_line" org.rpg4j.examples.TrainAndPrune --model small-cnn \
            --dataset fashion-mnist --method "$method" --sparsity "$sparsity" --epochs 1 --subset 2000 \
            --test-subset 1000 --batch-size 128 --lr 0.05 --warmup-epochs 0.2 --delta-t 1 --progress-every 5 \
            --results-only --output "$run" > "$out/$method-$sparsity.log" 2>&1 || echo "run $run failed"
        rmdir "$run.lock"
    done
done
python3 - "$out" <<'EOF'
import json, os, re, sys
out = sys.argv[1]
print("| method | sparsity | test acc. | conv/dense channels removed | parameters after / before | MACs/image after / before |")
print("|---|---|---|---|---|---|")
for method in ["gmp", "rigl", "rpg"]:
    for s in ["0.9", "0.95", "0.98", "0.99"]:
        run = os.path.join(out, f"{method}-{s}")
        try:
            acc = json.load(open(os.path.join(run, "results.json")))["summary"]["finalTestAccuracy"]
            table = open(os.path.join(run, "dead_channels.txt")).read()
        except OSError:
            print(f"| {method} | {s} | (missing) | | | |")
            continue
        before = after = 0
        for m in re.finditer(r"^\S+\s+(\S+)\s+(\d+) -> (\d+)\s", table, re.M):
            if "Convolution" in m.group(1) or "Dense" in m.group(1):
                before += int(m.group(2)); after += int(m.group(3))
        t = re.search(r"total: parameters (\d+) -> (\d+), MACs/image (\d+) -> (\d+)", table)
        pb, pa, mb, ma = map(int, t.groups())
        print(f"| {method} | {s} | {acc:.4f} | {before - after} of {before} | {pa:,} / {pb:,} ({100 * pa / pb:.1f} %) "
              f"| {ma:,} / {mb:,} ({100 * ma / mb:.1f} %) |")
EOF
