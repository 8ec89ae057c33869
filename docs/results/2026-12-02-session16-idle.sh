#!/bin/bash
# Idle run, session 16 (issue 14's shrunk rows). Usage: idle16.sh JAR OUT. Run only when every helper has stopped.
set -u
JAR=$1; OUT=$2
J="java --add-modules jdk.incubator.vector -jar $JAR structured.ShrunkInferenceBenchmark -f 1 -wi 3 -w 2 -i 4 -r 2 -p channelMultiple=1"
log() { echo "# $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a $OUT; }
log "shrunk b64 RESNET56, four paths"
$J -p batch=64 -p model=RESNET56 -p path=FOLDED,RUNNER_MEASURED,RUNNER_SPLIT,RUNNER_INTERLEAVED -rf json -rff /tmp/b64r.json 2>&1 | grep -v INFO >> $OUT
log "shrunk b64 VGG19, three paths (InterleavedRunner refuses max pooling)"
$J -p batch=64 -p model=VGG19 -p path=FOLDED,RUNNER_MEASURED,RUNNER_SPLIT -rf json -rff /tmp/b64v.json 2>&1 | grep -v INFO >> $OUT
log "shrunk b1"
$J -p batch=1 -p path=FOLDED,RUNNER_MEASURED -rf json -rff /tmp/b1.json 2>&1 | grep -v INFO >> $OUT
log "tables"
java -cp $JAR org.rpg4j.benchmarks.structured.ShrunkInferenceTable /tmp/b64r.json /tmp/b64v.json >> $OUT 2>&1
java -cp $JAR org.rpg4j.benchmarks.structured.ShrunkInferenceTable /tmp/b1.json >> $OUT 2>&1
for i in 1 2 3; do
  log "b64 RESNET56 0/0.7 split and interleaved, JVM set $i"
  $J -p batch=64 -p model=RESNET56 -p removed=0,0.7 -p path=RUNNER_SPLIT,RUNNER_INTERLEAVED 2>&1 | grep -v INFO | grep "^Shrunk\|^# Param\|Iteration" >> $OUT
done
for i in 1 2 3 4; do
  log "b1 RESNET56 0/0.7 runner, JVM $i"
  $J -p batch=1 -p model=RESNET56 -p removed=0,0.7 -p path=RUNNER_MEASURED 2>&1 | grep -v INFO | grep "^Shrunk\|^# Param\|Iteration" >> $OUT
done
log "end"
