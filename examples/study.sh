#!/usr/bin/env bash
# Runs the comparison study (dense, gmp, rigl, rpg, rpg-reg on the small CNN and ResNet-20) and
# writes its results: runs/<id>/results.json, runs.csv, layers.csv, summary.csv, summary.md and the
# PNG plots (docs/results.md explains them).
#
#   examples/study.sh                 # the full study into docs/results (about 90 min on 2 cores)
#   examples/study.sh --quick         # a short study into results/study-quick (under 10 min)
#   examples/study.sh --dataset cifar10 --data-dir DIR --output results/study-cifar10
#   examples/study.sh --help          # every option
#
# An interrupted study resumes: run the same command again; finished runs are kept.
# Environment: JOBS = processes running runs in parallel (default 2 when there are at least 2
# cores, each with cores/JOBS threads: on 2 cores two 1-thread processes train about 1.3x more
# images per second than one 2-thread process on these small networks).
set -euo pipefail
cd "$(dirname "$0")/.."
cores=$(nproc)
jobs=${JOBS:-$((cores >= 2 ? 2 : 1))}
if ! [[ $jobs =~ ^[1-9][0-9]*$ ]]; then
    echo "JOBS must be a positive integer, got '$jobs'" >&2
    exit 2
fi
threads=$((cores / jobs > 0 ? cores / jobs : 1))

build=(-B -q -pl examples -am -DskipTests compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt)
mvn -o "${build[@]}" 2>/dev/null || mvn "${build[@]}"
cp="rpg-core/target/classes:rpg-dl4j/target/classes:examples/target/classes:$(cat examples/target/classpath.txt)"
# rpg4j logs every topology update at INFO; each run's log.txt has its progress, so keep the console short
study() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$cp" org.rpg4j.examples.Study "$@"; }

for arg in "$@"; do
    case $arg in -h | --help | -V | --version | --list | --report-only) study "$@"; exit ;; esac
done
if [[ $jobs -eq 1 ]]; then
    OMP_NUM_THREADS=$threads study "$@"
    exit
fi
echo "study: $jobs processes with $threads thread(s) each; $(uptime | sed 's/.*load average/load average/')"
status=0
shards() { # shards [extra options]: all shards in parallel, then wait for them
    local pids=()
    for ((i = 1; i <= jobs; i++)); do
        (OMP_NUM_THREADS=$threads study "$@" --shard "$i/$jobs" 2>&1 | sed -u "s/^/[shard $i] /") &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do
        wait "$pid" || status=1
    done
}
for arg in "$@"; do
    # pruning runs start from the dense runs' models: train those first
    [[ $arg == --from-dense ]] && shards "$@" --only-dense
done
shards "$@"
study "$@" --report-only || status=1
exit $status
