#!/usr/bin/env bash
# single-thread CPU-time measurements on the loaded machine (infer14 session); output in runs/
cd "$(dirname "$0")/.."
cp="/tmp/infer14cls:benchmarks/target/benchmarks.jar"
q() { grep -v -E -e '\] INFO ' -e '^ ?(GCC:|STD version|DEFAULT_ENGINE|HAVE_)' -e '^$' -e 'openblas could not' || true; }
export OMP_NUM_THREADS=1
echo "load: $(uptime)"
java -Xmx2g -cp "$cp" org.rpg4j.benchmarks.structured.OpOverhead 50 2>&1 | q > runs/opoverhead-1thread.txt
java -Xmx4g -cp "$cp" org.rpg4j.benchmarks.structured.InferenceCpuTime RESNET56 1 20 3 2>&1 | q > runs/cpu-resnet56-b1.txt
java -Xmx4g -cp "$cp" org.rpg4j.benchmarks.structured.InferenceCpuTime VGG19 1 10 3 2>&1 | q > runs/cpu-vgg19-b1.txt
java -Xmx6g -cp "$cp" org.rpg4j.benchmarks.structured.InferenceCpuTime RESNET56 64 1 2 AS_IS,FOLDED 2>&1 | q > runs/cpu-resnet56-b64.txt
java -Xmx6g -cp "$cp" org.rpg4j.benchmarks.structured.InferenceCpuTime VGG19 64 1 2 AS_IS,FOLDED 2>&1 | q > runs/cpu-vgg19-b64.txt
echo "load: $(uptime)"
