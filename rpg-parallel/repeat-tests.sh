#!/usr/bin/env bash
# Runs rpg-parallel's test suite N times (default 5) and counts the runs in which every test passed:
# the repeatability tests (same seed twice, resume from a save) must pass every time.
# Usage: rpg-parallel/repeat-tests.sh [N]     (offline; the surefire reports of each run are kept
# under rpg-parallel/target/repeat/RUN/)
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
passed=0
echo "load at start: $(uptime)"
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s)
  rm -rf rpg-parallel/target/surefire-reports
  if mvn -B -o -q -pl rpg-parallel -am test -Dtest='org.rpg4j.dl4j.parallel.*Test' \
      -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.argLine=-Xmx3g > "/tmp/rpg-parallel-repeat-$$.log" 2>&1; then
    passed=$((passed + 1))
    result=pass
  else
    result=FAIL
    grep -E 'Tests run:|FAIL|expected' "/tmp/rpg-parallel-repeat-$$.log" | head -20
  fi
  rm -rf "rpg-parallel/target/repeat/$i" && mkdir -p "rpg-parallel/target/repeat/$i"
  cp rpg-parallel/target/surefire-reports/*.txt "rpg-parallel/target/repeat/$i/" 2>/dev/null || true
  echo "run $i: $result ($(( $(date +%s) - start )) s, load $(cut -d' ' -f1-3 /proc/loadavg))"
done
rm -f "/tmp/rpg-parallel-repeat-$$.log"
echo "$passed of $runs runs passed every test"
[ "$passed" -eq "$runs" ]
