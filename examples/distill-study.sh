#!/usr/bin/env bash
# Distillation study (docs/distillation.md): the small CNN on Fashion-MNIST pruned with RPG to 98 %
# and 99 % sparsity, with and without distillation from a dense teacher, three seeds each.
# Budget of every run: the first 6,000 training images, 3 epochs of batch 128 (138 iterations),
# lr 0.05 with 0.2 epochs of warm-up, a topology update every 4 iterations, tested on all 10,000
# test images. The dense teacher is trained once with the same budget (seed 7).
#
#   examples/distill-study.sh            # everything into docs/results/distillation (resumes)
#   examples/distill-study.sh --report   # only the table (summary.md) from finished runs
#
# A run whose results.json exists is kept. Environment: THREADS (default 1) = OMP threads per run.
# Two instances may run at once (each claims a run with a lock directory runs/NAME.lock), e.g.
#   examples/distill-study.sh & examples/distill-study.sh; wait
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/results/distillation
mkdir -p "$out/runs"

report() {
    python3 - "$out" <<'PY'
import json, os, statistics, sys
out = sys.argv[1]
rows = {}
for name in sorted(os.listdir(os.path.join(out, "runs"))):
    path = os.path.join(out, "runs", name, "results.json")
    if not os.path.exists(path) or name == "teacher":
        continue
    r = json.load(open(path))
    acc = r["epochs"][-1]["testAccuracy"]
    key = (r["options"]["sparsity"], r["options"].get("teacher") is not None)
    rows.setdefault(key, []).append(acc)
def cell(v):
    if not v:
        return "-"
    if len(v) == 1:
        return "%.4f (1 seed)" % v[0]
    return "%.4f ± %.4f (%d seeds)" % (statistics.mean(v), statistics.stdev(v), len(v))
lines = ["| sparsity | RPG | RPG + distillation | difference of means |", "|---|---|---|---|"]
for s in sorted({k[0] for k in rows}):
    a, b = rows.get((s, False), []), rows.get((s, True), [])
    diff = "%+.4f" % (statistics.mean(b) - statistics.mean(a)) if a and b else "-"
    lines.append("| %.0f %% | %s | %s | %s |" % (100 * s, cell(a), cell(b), diff))
t = os.path.join(out, "runs", "teacher", "results.json")
if os.path.exists(t):
    lines.append("")
    lines.append("dense teacher (seed 7): %.4f" % json.load(open(t))["epochs"][-1]["testAccuracy"])
text = "\n".join(lines) + "\n"
open(os.path.join(out, "summary.md"), "w").write(text)
print(text)
PY
}
if [[ ${1:-} == --report ]]; then
    report
    exit
fi

# shellcheck source=classes-snapshot.sh
source examples/classes-snapshot.sh
snapshot="$(realpath -m results/distill-study)" # delete it to rebuild from the current sources
mkdir -p "$snapshot"
cp_line="$(classes_snapshot "$snapshot")"
recipe=(--model small-cnn --dataset fashion-mnist --subset 6000 --epochs 3 --batch-size 128 --lr 0.05
    --warmup-epochs 0.2 --delta-t 4)

# run NAME ARGS...: one TrainAndPrune run into runs/NAME, on the copy of the classes made above (the
# sources can change while the study runs)
run() {
    local name=$1 dir="$out/runs/$1"
    shift
    if [[ -f $dir/results.json ]] || ! mkdir "$dir.lock" 2>/dev/null; then
        return # finished, or being run by another instance of this script
    fi
    echo "$(date -u +%H:%M:%S) $name ($(uptime | sed 's/.*load average/load average/'))"
    mkdir -p "$dir"
    OMP_NUM_THREADS=${THREADS:-1} nice -n 5 java -Xmx3g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        -cp "$cp_line" \
        org.rpg4j.examples.TrainAndPrune "${recipe[@]}" --output "$dir" "$@" >"$dir.log" 2>&1 \
        || echo "  FAILED: see $dir.log"
    rmdir "$dir.lock"
}

# the teacher's model.zip is not kept in git: without it, train the teacher again
[[ -f $out/runs/teacher/model.zip ]] || rm -f "$out/runs/teacher/results.json"
run teacher --method dense --seed 7
teacher="$out/runs/teacher/model.zip"
pct() { printf %.0f "$(echo "$1*100" | bc)"; }
# plain and distilled runs alternate, seed by seed, so that an interrupted study still compares pairs
for seed in 1 2 3; do
    for s in 0.98 0.99; do
        run "rpg$(pct "$s")-seed$seed" --method rpg --sparsity "$s" --seed "$seed" --results-only
        run "rpg$(pct "$s")-distill-seed$seed" --method rpg --sparsity "$s" --seed "$seed" --results-only \
            --teacher "$teacher" --temperature 4 --hardness 0.5
    done
done
report
