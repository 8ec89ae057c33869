#!/bin/bash
# Idle run, session 15. Usage: idle15.sh NEWJAR BASEJAR OUT. Run only when every helper has stopped.
set -u
NEW=$1; BASE=$2; OUT=$3
J="java --add-modules jdk.incubator.vector -jar"
log() { echo "# $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a $OUT; }
log "all networks, new jar $NEW"
$J $NEW sparse.NetworkInferenceBenchmark -f 0 -wi 3 -w 2 -i 5 -r 3 -p model=RESNET56,VGG19 -p batch=1,32 -p variant=DL4J,RPG95,RPG98 2>&1 | grep -v INFO >> $OUT
for i in 1 2; do
  for jar in $BASE $NEW; do
    log "VGG19 b32 jar $jar"
    $J $jar sparse.NetworkInferenceBenchmark -f 0 -wi 3 -w 2 -i 5 -r 3 -p model=VGG19 -p batch=32 -p variant=DL4J,RPG95,RPG98 2>&1 | grep -v INFO >> $OUT
  done
done
log "shrunk b64"
$J $NEW structured.ShrunkInferenceBenchmark -f 1 -wi 3 -w 2 -i 4 -r 2 -p channelMultiple=1 -p batch=64 -p path=FOLDED,RUNNER_MEASURED,RUNNER_SPLIT -rf json -rff /tmp/b64.json 2>&1 | grep -v INFO >> $OUT
log "shrunk b1"
$J $NEW structured.ShrunkInferenceBenchmark -f 1 -wi 3 -w 2 -i 4 -r 2 -p channelMultiple=1 -p batch=1 -p path=FOLDED,RUNNER_MEASURED -rf json -rff /tmp/b1.json 2>&1 | grep -v INFO >> $OUT
for i in 1 2; do
  log "shrunk b1 RESNET56 0/0.7 runner, JVM $i"
  $J $NEW structured.ShrunkInferenceBenchmark -f 1 -wi 3 -w 2 -i 4 -r 2 -p channelMultiple=1 -p batch=1 -p model=RESNET56 -p removed=0,0.7 -p path=RUNNER_MEASURED 2>&1 | grep -v INFO >> $OUT
done
log "tables"
java -cp $NEW org.rpg4j.benchmarks.structured.ShrunkInferenceTable /tmp/b64.json >> $OUT 2>&1
java -cp $NEW org.rpg4j.benchmarks.structured.ShrunkInferenceTable /tmp/b1.json >> $OUT 2>&1
log "end"
