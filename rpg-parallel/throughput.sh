#!/usr/bin/env bash
# Images/s with 1 and 2 workers, with and without rpg4j (org.rpg4j.dl4j.parallel.ParallelThroughput).
# Usage: rpg-parallel/throughput.sh [rounds per fit, default 30] [repetitions, default 3] [AVERAGING|SHARED_GRADIENTS]
# Builds the test classes (offline) and runs the main on the module's test class path.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q -pl rpg-parallel -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/cp.txt
CP="rpg-parallel/target/test-classes:rpg-parallel/target/classes:$(cat rpg-parallel/target/cp.txt)"
echo "load: $(uptime)"
exec java -Xmx3g -cp "$CP" org.rpg4j.dl4j.parallel.ParallelThroughput "$@"
