#!/usr/bin/env bash
# the runner's measured kernel choice, single thread, after cpu-runs.sh (infer14 session)
cd "$(dirname "$0")/.."
while pgrep -f 'runs/cpu-runs.sh' > /dev/null; do sleep 10; done
cp="/tmp/infer14cls2:benchmarks/target/benchmarks.jar"
q() { grep -v -E -e '\] INFO ' -e '^ ?(GCC:|STD version|DEFAULT_ENGINE|HAVE_)' -e '^$' -e 'openblas could not' || true; }
export OMP_NUM_THREADS=1
flags="--add-modules jdk.incubator.vector -Djava.util.concurrent.ForkJoinPool.common.parallelism=0"
echo "load: $(uptime)"
java $flags -Xmx4g -cp "$cp" org.rpg4j.benchmarks.structured.InferenceCpuTime RESNET56 1 20 3 AS_IS,RUNNER_MEASURED 2>&1 | q > runs/cpu-resnet56-b1-measured.txt
java $flags -Xmx4g -cp "$cp" org.rpg4j.benchmarks.structured.InferenceCpuTime VGG19 1 10 3 AS_IS,RUNNER_MEASURED 2>&1 | q > runs/cpu-vgg19-b1-measured.txt
echo "load: $(uptime)"
