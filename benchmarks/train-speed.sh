#!/usr/bin/env bash
# Builds the benchmarks module and runs a training-speed benchmark in its own JVM.
# Usage: benchmarks/train-speed.sh [MainClass] [key=value ...]
#        benchmarks/train-speed.sh jmh [JMH options and benchmark regex]
#   benchmarks/train-speed.sh                       # ResNet20TrainingSpeed with its defaults
#   benchmarks/train-speed.sh ResNet20TrainingSpeed rounds=5 layers=STANDARD,FAST
#   benchmarks/train-speed.sh jmh ConvolutionLayerBenchmark BatchNormalizationBenchmark
# Extra JVM flags go in JAVA_OPTS (e.g. JAVA_OPTS="-XX:StartFlightRecording=duration=60s,filename=/tmp/r.jfr").
# Run it alone on the machine: other processes on the 2 cores distort the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
main=ResNet20TrainingSpeed
if [[ $# -gt 0 && $1 != *=* ]]; then main=$1; shift; fi
cp_file="$PWD/benchmarks/target/classpath.txt"
mvn -B -o -q -pl benchmarks -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=runtime
classpath="benchmarks/target/classes:$(cat "$cp_file")"
if [[ $main == jmh ]]; then
  exec java ${JAVA_OPTS:-} -cp "$classpath" org.openjdk.jmh.Main "$@"
fi
exec java ${JAVA_OPTS:-} -cp "$classpath" "org.rpg4j.benchmarks.training.$main" "$@"
