#!/usr/bin/env bash
# Data-driven criteria on Fashion-MNIST (docs/structured.md, "Data-driven criteria"): L1 filter norm,
# HRank, Channel Pruning and DropNet at the same channel counts (hence the same MACs), three seeds,
# with the cost of collecting the statistics. Each seed is one DataDrivenComparison run.
#
#   examples/datadriven-study.sh [output-dir]   # default docs/results/datadriven/seeds (resumes)
#   examples/datadriven-study.sh --report [output-dir]   # only the table (summary.md) from finished seeds
#
# Budget of every seed (the same as the one-seed run this replaces, with 2,000 instead of 1,000 test
# images): the small CNN trained densely for 2 epochs on the first 1,500 training images (Adam 1e-3,
# batch 64); half of c1_conv's and c2_conv's channels removed; statistics on 4 batches (256 images),
# Channel Pruning 2,000 sampled rows per layer, DropNet 3 rounds keeping the weights; 1 epoch of
# fine-tuning. A seed whose results.md exists is kept. Several instances may run at once (each claims
# a seed with a lock directory; after an interruption delete left-over *.lock directories). The
# compiled classes are copied first (results/datadriven-study/classes), so the sources can change.
# Environment: SEEDS (default "1 2 3"), THREADS (default 1) = OMP threads per run.
set -euo pipefail
cd "$(dirname "$0")/.."
report_only=false
if [[ ${1:-} == --report ]]; then
    report_only=true
    shift
fi
out="$(realpath -m "${1:-docs/results/datadriven/seeds}")"
mkdir -p "$out"

report() {
    python3 - "$out" <<'PY'
import os, re, statistics, sys
out = sys.argv[1]
acc, after, stat_ms, stat_bytes, prune_s, shape, seeds = {}, {}, {}, {}, {}, {}, []
for name in sorted(os.listdir(out)):
    path = os.path.join(out, name, "results.md")
    if not re.fullmatch(r"seed\d+", name) or not os.path.exists(path):
        continue
    seeds.append(name[4:])
    for line in open(path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 9 or cells[0] in ("method", "") or cells[0].startswith("---"):
            continue
        m = cells[0]
        acc.setdefault(m, []).append(float(cells[2]))
        if cells[1] != "-":
            after.setdefault(m, []).append(float(cells[1]))
        if cells[5] != "-":
            stat_ms.setdefault(m, []).append(float(cells[5]))
            stat_bytes[m] = cells[6]
        if cells[7] != "-":
            prune_s.setdefault(m, []).append(float(cells[7]))
        shape[m] = (cells[3], cells[4])
def pm(v, scale=100, digits=1):
    if not v:
        return "-"
    if len(v) == 1:
        return f"{scale * v[0]:.{digits}f} (1 seed)"
    return f"{scale * statistics.mean(v):.{digits}f} ± {scale * statistics.stdev(v):.{digits}f}"
def mean(v, digits=0):
    return "-" if not v else f"{statistics.mean(v):,.{digits}f}"
lines = [f"Seeds: {', '.join(seeds)}. Accuracy in % of the test images: mean ± sample standard deviation "
         "over the seeds; statistics cost and pruning time: mean over the seeds.", "",
         "| method | accuracy right after pruning | after fine-tuning | parameters | MACs/image | "
         "statistics ms/batch of 64 | statistics retained bytes | pruning s |", "|---|---|---|---|---|---|---|---|"]
for m in acc:
    p, macs = shape[m]
    lines.append(f"| {m} | {pm(after.get(m))} | {pm(acc[m])} | {p} | {macs} | {mean(stat_ms.get(m))} | "
                 f"{stat_bytes.get(m, '-')} | {mean(prune_s.get(m), 1)} |")
text = "\n".join(lines) + "\n"
open(os.path.join(out, "summary.md"), "w").write(text)
print(text)
PY
}
if $report_only; then
    report
    exit
fi

# shellcheck source=classes-snapshot.sh
source examples/classes-snapshot.sh
snapshot="$(realpath -m results/datadriven-study)"
mkdir -p "$snapshot"
cp_line="$(classes_snapshot "$snapshot")"
for seed in ${SEEDS:-1 2 3}; do
    run="$out/seed$seed"
    [[ -f "$run/results.md" ]] && continue
    mkdir "$run.lock" 2> /dev/null || continue # another instance of this script has it
    echo "$(date -u +%H:%M:%S) seed $seed ($(uptime | sed 's/.*load average/load average/'))"
    mkdir -p "$run"
    OMP_NUM_THREADS=${THREADS:-1} nice -n 5 java -Xmx3g -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
        -cp "$cp_line" org.rpg4j.examples.datadriven.DataDrivenComparison --subset 1500 --test-subset 2000 \
        --epochs 2 --finetune-epochs 1 --channel-sparsity 0.5 --stat-batches 4 --samples 2000 --dropnet-rounds 3 \
        --batch-size 64 --seed "$seed" --out "$run" > "$run.log" 2>&1 || echo "seed $seed failed: see $run.log"
    echo "$(date -u +%H:%M:%S) seed $seed done ($(uptime | sed 's/.*load average/load average/'))" >> "$run.log"
    rmdir "$run.lock"
done
report
