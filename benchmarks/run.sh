#!/usr/bin/env bash
# Builds the benchmarks module (target/benchmarks.jar, JMH's Main) and runs a profile.
#
#   benchmarks/run.sh            # quick: the benchmarks behind the issue-6 targets, then one line per
#                                #   target (measured, target, PASS/FAIL); then, if python3 imports torch, the
#                                #   pytorch lines with few blocks; 8-10 min on 2 idle cores (PARTS splits it)
#   benchmarks/run.sh pytorch    # rpg4j's training images/s against PyTorch's (benchmarks/pytorch/cifar_speed.py),
#                                #   ResNet-20, ResNet-32x2 and VGG-19 at batch 128, interleaved blocks in one
#                                #   run: one line per model with the ratio and the goal of issue 13 (about 10 min)
#   benchmarks/run.sh pytorch-profile  # per op kind (conv, batch norm, ReLU, add, pool, output), forward and
#                                #   backward, ms per training iteration on both sides, for the three models,
#                                #   and the kinds' shares of real fits (FitProfile: JFR samples, with workspaces)
#   benchmarks/run.sh fast-layers  # each issue-13 change to the fast layers against the version before it,
#                                #   interleaved in one JVM (ResNet-20 and VGG-19 iterations, ReLU backward)
#   benchmarks/run.sh svd        # SVD per shape and method (about 10 min), the accuracy check against
#                                #   the full SVD, the plot docs/performance-svd.png and its table
#   benchmarks/run.sh full       # quick plus DL4J's standard layers for every CIFAR model, then svd
#                                #   (about 20 min)
#   benchmarks/run.sh sparse-format  # sparse model file: size, entropy bound and write/load time against
#                                #   DL4J's zip (VGG-19, ResNet-56 at 80-99 %, RPG-pruned at 95/98 %),
#                                #   float16 accuracy cost on Fashion-MNIST
#   benchmarks/run.sh structured # structured pruning: shrunk VGG-19/ResNet-56 inference (batch 1 and 64, 50/70 %
#                                #   channels removed, kept counts rounded to 1 or 8; DL4J as is, after the
#                                #   inference transform InferenceFolding, and the deployment runner's dense path)
#                                #   with the speed-up / MAC-ratio table, ResNet50 analysis + shrinking time,
#                                #   ResNet-56 time per vertex kind, per-op fixed cost at batch 1 (about 30 min)
#   benchmarks/run.sh structured-cpu # the same speed-up table in single-thread CPU time (OMP_NUM_THREADS=1,
#                                #   InferenceCpuTime) and OpOverhead: usable on a loaded machine (about 15 min idle)
#   benchmarks/run.sh sparse-runner  # where the sparse runner's time goes at batch 32 (RunnerProfile: ms per
#                                #   step and per step kind, RPG-pruned VGG-19/ResNet-56 at 95/98 %; RunnerThreads:
#                                #   wall time and CPU time per thread group, native ops on OpenMP's threads
#                                #   against the runner's own), and JMH
#                                #   of the runner with pooling on Java arrays against pooling through DL4J
#                                #   (StepCoverage, interleaved) and DL4J, then runner/DL4J in one-thread CPU
#                                #   time (RunnerCpuTime; about 14 min)
#   benchmarks/run.sh sparse     # sparse inference engine: per-layer kernels against the fast dense
#                                #   convolution, whole pruned VGG-19/ResNet-56 against DL4J, the runner's native
#                                #   ops on OpenMP's threads against its own, and the tables of docs/deployment.md
#                                #   (about 26 min; JVM flag add-modules jdk.incubator.vector; no environment
#                                #   variable needed: the runner keeps libnd4j's OpenMP threads idle itself);
#                                #   both sparse profiles first make the RPG-pruned weights once (RpgPrunedWeights)
#
# The jar is rebuilt when a pom or a source file is newer (shading the 250 MB jar takes 1-3 min).
# Options (environment): SKIP_BUILD=1 reuses the jar; JMH_EXTRA="-prof jfr" adds JMH options;
# SINGLE_THREAD=1 (sparse profile) runs ND4J and the sparse kernels on one thread each;
# PYTHON=/path/python3 (pytorch lines) the interpreter that imports torch (default /usr/bin/python3).
# PARTS="rank topology ..." (quick and full) runs only those parts of the targets, and RESULTS=DIR writes into
# (and reports from) an existing results directory, so that the profile can run as several shorter runs (e.g.
# under a lock shared with other users of the machine) and still end with one target table: the parts are rank,
# topology, pruner, mask, iteration, iteration-rpg, paired, iteration-standard, pytorch and report (the
# table), e.g. `PARTS="rank topology pruner mask" benchmarks/run.sh`, then `RESULTS=benchmarks/target/results/...
# PARTS="iteration report" SKIP_BUILD=1 benchmarks/run.sh`.
# DNNL_MAX_CPU_ISA: unset by default for every model: the fast convolution layer calls oneDNN directly (the
# dnnl preset is in the benchmarks jar) with the direct algorithm, so libnd4j's AVX-512 Winograd backward
# kernels no longer run, and the AVX2 limit made VGG-19's iteration about 2x slower with the direct path
# (docs/performance.md, "Direct oneDNN convolutions"). When set, every model uses it. The PyTorch process
# never inherits it (PyTorchWorker). The fast-layers profile compares the direct path with libnd4j's ops (conv),
# and the kept blocked convolution input and the Java L2 score with the code before them (keep, score).
# Results (JMH JSON and the console log) go to benchmarks/target/results/<time>-<profile>/.
# Run it alone: on 2 cores any other process distorts the numbers. The load is printed before and
# after every run; ratios are only computed from results of the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-quick}
case $profile in quick | svd | full | sparse-format | sparse | sparse-runner | structured | structured-cpu | pytorch | pytorch-profile | fast-layers) ;;
    *) echo "usage: $0 [quick|svd|full|sparse-format|sparse|sparse-runner|structured|structured-cpu|pytorch|pytorch-profile|fast-layers]" >&2
        exit 2 ;;
esac

jar=benchmarks/target/benchmarks.jar
stale() {
    [[ ! -f $jar ]] || [[ -n $(find pom.xml rpg-core rpg-dl4j benchmarks/pom.xml benchmarks/src \
        \( -name pom.xml -o -name '*.java' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit) ]]
}
if [[ -z ${SKIP_BUILD:-} ]] && stale; then
    echo "building $jar"
    mvn -B -q -o -pl benchmarks -am package -DskipTests \
        || mvn -B -q -pl benchmarks -am package -DskipTests
fi
out=${RESULTS:-benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)-$profile}
mkdir -p "$out"
exec > >(tee -a "$out/console.log") 2>&1

part() { # part <name>: true if PARTS is unset or names it
    [[ -z ${PARTS:-} ]] || [[ " $PARTS " == *" $1 "* ]]
}

machine() {
    echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores," \
        "$(free -g | awk '/^Mem:/ {print $2 " GiB"}'), java $(java -version 2>&1 | head -1 | cut -d'"' -f2)," \
        "$(grep -q -w avx512f /proc/cpuinfo && echo AVX-512 || echo 'no AVX-512')," \
        "oneDNN limit DNNL_MAX_CPU_ISA=${DNNL_MAX_CPU_ISA:-unset}"
    echo "load:    $(uptime)"
}

isa_for() { # $1: model (VGG19, RESNET20, ...); prints the oneDNN limit to train it with, or nothing
    if [[ -n ${DNNL_MAX_CPU_ISA:-} ]]; then
        echo "$DNNL_MAX_CPU_ISA"
    fi
}

with_isa() { # $1: model; runs the rest of the arguments with that model's oneDNN limit (isa_for)
    local isa
    isa=$(isa_for "$1")
    shift
    if [[ -n $isa ]]; then DNNL_MAX_CPU_ISA=$isa "$@"; else env -u DNNL_MAX_CPU_ISA "$@"; fi
}

quiet() { # drops ND4J's per-JVM banner and INFO lines; keeps JMH's output and warnings
    grep -v -E -e '\] INFO ' -e '^ ?(GCC:|STD version|DEFAULT_ENGINE|HAVE_)' -e '^$' || true
}

jmh() { # jmh <name> <JMH arguments...>: one JMH run writing $out/<name>.json
    local name=$1
    shift
    echo "=== $name: java -jar $jar $* ${JMH_EXTRA:-}"
    # shellcheck disable=SC2086
    java ${JAVA_FLAGS:-} -jar "$jar" "$@" -rf json -rff "$out/$name.json" ${JMH_EXTRA:-} 2>&1 | quiet
    echo "load after $name: $(uptime | sed 's/.*load average/load average/')"
}

targets() { # the benchmarks behind the targets; $1 = measurement scale; $2 = models with standard layers
    local s=$1 standard=$2
    # numerators: rank-loss gradient of every model, topology update (core and Pruner), mask enforcement
    part rank && jmh rank 'rank.ModelRankGradientBenchmark' -f 1 -wi 1 -w 1 -i $((2 * s)) -r 2
    part topology && jmh topology 'prune.TopologyUpdateBenchmark' -f 1 -wi 2 -w 1 -i $((3 * s)) -r 1
    # single-shot (each call needs fresh weights): 10 warm-up calls so that the JIT has compiled the path
    part pruner && jmh pruner 'prune.PrunerUpdateBenchmark' -f 1 -wi 10 -i $((5 * s))
    if part mask && java -cp "$jar" org.openjdk.jmh.Main -l | grep -q 'overhead.MaskEnforcementBenchmark'; then
        jmh mask 'overhead.MaskEnforcementBenchmark' -f 1 -wi 2 -w 1 -i $((3 * s)) -r 1
    fi
    # denominators: one training iteration at batch 128. Single-shot, so every variant gets the same
    # 3 set-up fits and 10 warm-up calls (a JVM keeps getting faster over its first ~10 fits)
    part iteration && jmh iteration 'overhead.TrainingIterationBenchmark' -f 1 -wi 10 -i $((3 * s)) \
        -p layers=FAST -p model=RESNET20,RESNET32X2,VGG19 -p pruning=NONE
    # cross-check: the same ResNet-20 iteration with an rpg4j run attached (hot path only), same warm-up
    part iteration-rpg && jmh iteration-rpg 'overhead.TrainingIterationBenchmark' -f 1 -wi 10 -i $((3 * s)) \
        -p layers=FAST -p model=RESNET20 -p pruning=RPG
    # and paired: both variants in one JVM, interleaved fit by fit
    if part paired; then
        echo "=== paired: java -cp $jar org.rpg4j.benchmarks.overhead.PairedIterations RESNET20 10 $((10 * s))"
        java -cp "$jar" org.rpg4j.benchmarks.overhead.PairedIterations RESNET20 10 $((10 * s)) 2>&1 | quiet \
            | tee "$out/paired.txt"
    fi
    # DL4J's standard layers (12 s an iteration): ResNet-20 in the quick profile, all models in full;
    # 10 warm-up calls like the fast layers' denominators
    part iteration-standard && jmh iteration-standard 'overhead.TrainingIterationBenchmark' -f 1 -wi 10 -i $((1 * s)) \
        -p layers=STANDARD -p model=$standard
    if part report; then
        echo
        echo "=== targets (issue 6), from the results in $out only:"
        java -cp "$jar" org.rpg4j.benchmarks.report.Targets "$out"/*.json || true
    fi
}

svd() {
    # -f 0: the 117 shape x method cases run in this JVM (each is a native LAPACK or BLAS call on a fresh
    # matrix; a fork per case would add about 4 s of ND4J start-up each)
    jmh svd 'rank.SvdBenchmark' -f 0 -wi 1 -w 1 -i 2 -r 1
    jmh rankloss 'rank.RankLossLayerBenchmark' -f 0 -wi 1 -w 1 -i 2 -r 1
    echo "=== accuracy against the full SVD (k equal, |dLoss| <= 1e-5)"
    java -cp "$jar" org.rpg4j.benchmarks.rank.SvdAccuracy 2>&1 | quiet
    echo "=== plot docs/performance-svd.png and table (ms per decomposition)"
    java -Djava.awt.headless=true -cp "$jar" org.rpg4j.benchmarks.report.SvdPlot docs/performance-svd.png \
        "$out/svd.json"
}

rpg_weights() { # RPG-pruned VGG-19/ResNet-56 at 95/98 %: made once (a few minutes each), then reused
    echo "=== RPG-pruned weights and their per-layer sparsity: java -cp $jar org.rpg4j.benchmarks.sparse.RpgPrunedWeights"
    for model in RESNET56 VGG19; do
        java -Xmx5g -cp "$jar" org.rpg4j.benchmarks.sparse.RpgPrunedWeights $model 95 98 2>&1 | quiet
    done
}

sparse_format() { # not JMH: each case is one multi-second file write/read (median of 3 after a warm-up)
    rpg_weights
    echo "=== file size and write/load time: java -cp $jar org.rpg4j.benchmarks.deploy.SparseFileSize"
    java -Xmx6g -cp "$jar" org.rpg4j.benchmarks.deploy.SparseFileSize "$out" 2>&1 | quiet
    echo "load after file size: $(uptime | sed 's/.*load average/load average/')"
    echo "=== float16 accuracy cost: java -cp $jar org.rpg4j.benchmarks.deploy.Float16Cost"
    java -Xmx3g -cp "$jar" org.rpg4j.benchmarks.deploy.Float16Cost "$out" 4000 2000 1 2>&1 | quiet | grep -v Pruner
}

sparse() {
    # -f 0: all cases in this JVM (a fork per case would add ~4 s of ND4J start-up to each of 108 cases);
    # the Vector API kernels need the module flag on that JVM. Dense and sparse variants of one shape run
    # back to back (JMH varies the last parameter fastest), so their ratio sees the same load.
    rpg_weights
    local JAVA_FLAGS="--add-modules jdk.incubator.vector"
    if [[ -n ${SINGLE_THREAD:-} ]]; then # SINGLE_THREAD=1: one core each (ND4J/oneDNN and the sparse kernels)
        export OMP_NUM_THREADS=1
        JAVA_FLAGS="$JAVA_FLAGS -Djava.util.concurrent.ForkJoinPool.common.parallelism=0"
    fi
    jmh sparse-layers 'sparse.LayerKernelBenchmark' -f 0 -wi 2 -w 500ms -i 3 -r 500ms
    # the alternative tried: the scalar inner loop on three shapes
    jmh sparse-layers-scalar 'sparse.LayerKernelBenchmark' -f 0 -wi 2 -w 500ms -i 3 -r 500ms \
        -p shape=16x32x16s1,64x32x64s1,256x8x256s1 -p variant=S90,S98 -p instructions=SCALAR
    # the batch-interleaved kernel (BatchedConvolution) against the per-image one on the small planes at
    # batch 32 (24 cases, about 1.5 min), then the same in one-thread CPU time with oneDNN beside (about 1 min)
    jmh sparse-layers-batched 'sparse.LayerKernelBenchmark' -f 0 -wi 2 -w 500ms -i 3 -r 500ms \
        -p shape=512x4x512s1,512x2x512s1,64x8x64s1 -p batch=32 -p variant=S70,S90,S95,S98 -p kernel=PER_IMAGE,BATCHED
    echo "=== small planes, thread CPU time: OMP_NUM_THREADS=1 java -cp $jar org.rpg4j.benchmarks.sparse.SmallPlaneTime 3"
    # shellcheck disable=SC2086
    OMP_NUM_THREADS=1 java $JAVA_FLAGS -cp "$jar" org.rpg4j.benchmarks.sparse.SmallPlaneTime 3 2>&1 | quiet
    # 5 iterations of 3 s after 3 of 2 s: with 3 of 2 s the 99.9 % errors on 2 cores were as large as the
    # scores (docs/deployment.md, session 7); the 28 cases take about 14 min
    jmh sparse-networks 'sparse.NetworkInferenceBenchmark' -f 0 -wi 3 -w 2 -i 5 -r 3
    # the runner's native ops on libnd4j's OpenMP threads (its behaviour before session 7) against its own
    # threads, back to back per case (8 cases, about 4 min)
    jmh sparse-threads 'sparse.NetworkInferenceBenchmark' -f 0 -wi 3 -w 2 -i 5 -r 3 -p batch=32 -p variant=U0,RPG98 \
        -p withNativeThreading=OPENMP,JAVA_THREADS
    echo "=== tables of docs/deployment.md (this run only)"
    java -cp "$jar" org.rpg4j.benchmarks.sparse.SparseReport "$out/sparse-layers.json" "$out/sparse-networks.json" \
        "$out/sparse-threads.json"
}

sparse_runner() {
    rpg_weights
    local JAVA_FLAGS="--add-modules jdk.incubator.vector"
    echo "=== per-step profile: java -cp $jar org.rpg4j.benchmarks.sparse.RunnerProfile MODEL VARIANT 32 10 COVERAGE"
    for model in VGG19 RESNET56; do
        for variant in RPG95 RPG98; do
            for coverage in KERNELS KERNELS_AND_POOLING; do
                # shellcheck disable=SC2086
                java $JAVA_FLAGS -Xmx6g -cp "$jar" org.rpg4j.benchmarks.sparse.RunnerProfile $model $variant 32 10 \
                    $coverage 2>&1 | quiet
            done
        done
    done
    echo "load after profile: $(uptime | sed 's/.*load average/load average/')"
    echo "=== who uses the cores: java -cp $jar org.rpg4j.benchmarks.sparse.RunnerThreads MODEL 32 12 2 CASES"
    for model in RESNET56 VGG19; do
        # shellcheck disable=SC2086
        java $JAVA_FLAGS -Xmx6g -cp "$jar" org.rpg4j.benchmarks.sparse.RunnerThreads $model 32 12 2 DL4J U0:java \
            U0:openmp RPG95:java RPG95:openmp RPG98:java RPG98:openmp 2>&1 | quiet
    done
    jmh sparse-runner 'sparse.NetworkInferenceBenchmark' -f 0 -wi 2 -w 2 -i 3 -r 2 -p batch=32 \
        -p variant=DL4J,RPG95,RPG98 -p withCoverage=KERNELS,KERNELS_AND_POOLING
    echo "=== speed-up over DL4J (this run only)"
    java -cp "$jar" org.rpg4j.benchmarks.sparse.SparseReport "$out/sparse-runner.json"
    echo "=== the same in thread CPU time, one thread each (comparable when the machine is not idle)"
    for case in "RESNET56 RPG95" "RESNET56 RPG98" "VGG19 RPG95" "VGG19 RPG98"; do
        # shellcheck disable=SC2086
        OMP_NUM_THREADS=1 java $JAVA_FLAGS -Djava.util.concurrent.ForkJoinPool.common.parallelism=0 -Xmx6g \
            -cp "$jar" org.rpg4j.benchmarks.sparse.RunnerCpuTime $case 32 8 2>&1 | quiet
    done
}

structured() {
    # every path (AS_IS, FOLDED, RUNNER_DENSE, RUNNER_MEASURED) for kept counts as selected; rounded to multiples of 8 only
    # for DL4J's two paths and the removed fractions
    jmh structured 'structured.ShrunkInferenceBenchmark' -f 1 -wi 2 -w 2 -i 3 -r 2 -p channelMultiple=1
    jmh structured-multiple8 'structured.ShrunkInferenceBenchmark' -f 1 -wi 2 -w 2 -i 3 -r 2 -p channelMultiple=8 \
        -p removed=0.5,0.7 -p path=AS_IS,FOLDED
    echo "=== speed-up against MAC reduction (goal: speed-up >= 0.7 x MAC ratio), this run only"
    java -cp "$jar" org.rpg4j.benchmarks.structured.ShrunkInferenceTable "$out/structured.json" \
        "$out/structured-multiple8.json" 2>&1 | quiet
    echo "=== ResNet50 (zoo) analysis + shrinking at 50 % channels (goal: under 2 s)"
    java -Xmx4g -cp "$jar" org.rpg4j.benchmarks.structured.ResNet50ShrinkTime 5 2>&1 | quiet
    echo "=== ResNet-56 inference time per vertex kind, batch 64 and batch 1, as is and folded"
    java --add-modules jdk.incubator.vector -Xmx4g -cp "$jar" org.rpg4j.benchmarks.structured.VertexProfile RESNET56 64 20 2>&1 | quiet
    java --add-modules jdk.incubator.vector -Xmx4g -cp "$jar" org.rpg4j.benchmarks.structured.VertexProfile RESNET56 1 100 2>&1 | quiet
    java --add-modules jdk.incubator.vector -Xmx4g -cp "$jar" org.rpg4j.benchmarks.structured.VertexProfile RESNET56 1 100 FOLDED 2>&1 | quiet
    echo "=== fixed cost per op and per layer at batch 1 (default threads, then OMP_NUM_THREADS=1)"
    java --add-modules jdk.incubator.vector -Xmx2g -cp "$jar" org.rpg4j.benchmarks.structured.OpOverhead 200 2>&1 | quiet
    OMP_NUM_THREADS=1 java --add-modules jdk.incubator.vector -Xmx2g -cp "$jar" org.rpg4j.benchmarks.structured.OpOverhead 200 2>&1 | quiet
}

structured_cpu() { # the speed-up table in single-thread CPU time: usable on a machine that is not idle
    export OMP_NUM_THREADS=1
    local flags="--add-modules jdk.incubator.vector -Djava.util.concurrent.ForkJoinPool.common.parallelism=0"
    echo "=== fixed cost per op and per layer at batch 1, one thread"
    # shellcheck disable=SC2086
    java $flags -Xmx2g -cp "$jar" org.rpg4j.benchmarks.structured.OpOverhead 50 2>&1 | quiet
    echo "=== speed-up in thread CPU time, one thread (goal: speed-up >= 0.7 x MAC ratio)"
    # shellcheck disable=SC2086
    java $flags -Xmx4g -cp "$jar" org.rpg4j.benchmarks.structured.InferenceCpuTime RESNET56 1 20 3 2>&1 | quiet
    # shellcheck disable=SC2086
    java $flags -Xmx4g -cp "$jar" org.rpg4j.benchmarks.structured.InferenceCpuTime VGG19 1 10 3 2>&1 | quiet
    # shellcheck disable=SC2086
    java $flags -Xmx6g -cp "$jar" org.rpg4j.benchmarks.structured.InferenceCpuTime RESNET56 64 1 2 2>&1 | quiet
    # shellcheck disable=SC2086
    java $flags -Xmx6g -cp "$jar" org.rpg4j.benchmarks.structured.InferenceCpuTime VGG19 64 1 2 2>&1 | quiet
}

torch_python() { # prints the interpreter that imports torch, or nothing
    local py=${PYTHON:-/usr/bin/python3}
    [[ -x $py ]] || py=$(command -v python3 || true)
    if [[ -n $py ]] && "$py" -c 'import torch' > /dev/null 2>&1; then echo "$py"; fi
}

against_pytorch() { # $@: MODEL:warmup:blocks:k per model (SpeedAgainstPyTorch)
    local py
    py=$(torch_python)
    if [[ -z $py ]]; then
        echo "=== rpg4j against PyTorch: SKIPPED, ${PYTHON:-/usr/bin/python3} cannot import torch" \
            "(Debian: apt-get install python3-torch; or set PYTHON)"
        return
    fi
    local spec
    for spec in "$@"; do # one JVM per model: the oneDNN limit is read from the environment at start-up
        echo "=== rpg4j against PyTorch: DNNL_MAX_CPU_ISA=$(isa_for "$spec") java -cp $jar" \
            "org.rpg4j.benchmarks.pytorch.SpeedAgainstPyTorch $py benchmarks/pytorch/cifar_speed.py $spec"
        with_isa "$spec" java -Xmx8g -cp "$jar" org.rpg4j.benchmarks.pytorch.SpeedAgainstPyTorch "$py" \
            benchmarks/pytorch/cifar_speed.py "$spec" 2>&1 | quiet | tee -a "$out/pytorch.txt" \
            || echo "=== rpg4j against PyTorch: FAILED (output above)"
    done
}

pytorch_profile() {
    local py model
    py=$(torch_python)
    if [[ -z $py ]]; then
        echo "=== per-op profile: SKIPPED, ${PYTHON:-/usr/bin/python3} cannot import torch"
        return
    fi
    for model in RESNET20 RESNET32X2 VGG19; do
        echo "=== per-op profile: java -cp $jar org.rpg4j.benchmarks.pytorch.TrainingStepProfile $py" \
            "benchmarks/pytorch/cifar_speed.py $model 5 5"
        with_isa $model java -Xmx8g -cp "$jar" org.rpg4j.benchmarks.pytorch.TrainingStepProfile "$py" \
            benchmarks/pytorch/cifar_speed.py $model 5 5 2>&1 | quiet | tee -a "$out/pytorch-profile.md"
        # the same fits sampled with JFR, with workspaces (the passes above run without them)
        echo "=== fit profile: java -cp $jar org.rpg4j.benchmarks.pytorch.FitProfile $model 5 10"
        java -Xmx8g -cp "$jar" org.rpg4j.benchmarks.pytorch.FitProfile $model 5 10 2>&1 | quiet \
            | tee -a "$out/pytorch-profile.md"
    done
}

machine
case $profile in
    quick) targets 1 RESNET20; if part pytorch; then against_pytorch RESNET20:10:3:5 RESNET32X2:4:3:2 VGG19:3:3:2; fi ;;
    pytorch) against_pytorch RESNET20:10:5:10 RESNET32X2:6:5:3 VGG19:5:5:3 ;;
    pytorch-profile) pytorch_profile ;;
    fast-layers)
        for spec in "RESNET20 5 10 batchnorm,relu,add,conv,keep,score" "VGG19 2 5 batchnorm,relu,add,conv,keep"; do
            echo "=== java -cp $jar org.rpg4j.benchmarks.overhead.FastLayerChanges $spec"
            # shellcheck disable=SC2086
            with_isa "${spec%% *}" java -Xmx8g -cp "$jar" org.rpg4j.benchmarks.overhead.FastLayerChanges $spec 2>&1 | quiet \
                | tee -a "$out/fast-layers.txt"
        done ;;
    svd) svd ;;
    full) targets 1 RESNET20,RESNET32X2,VGG19; svd ;;
    sparse-format) sparse_format ;;
    sparse) sparse ;;
    sparse-runner) sparse_runner ;;
    structured) structured ;;
    structured-cpu) structured_cpu ;;
esac
machine
echo "results: $out"
