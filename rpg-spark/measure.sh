#!/usr/bin/env bash
# Spark throughput with and without rpg4j (docs/distributed.md, "Throughput and pruning cost").
# Usage: rpg-spark/measure.sh [timed rounds per variant, default 20] [repetitions, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -o -q -pl rpg-spark -am test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
opens=$(sed -n '/<spark.opens>/,/<\/spark.opens>/p' rpg-spark/pom.xml | sed 's/<[^>]*>//g' | tr '\n' ' ')
uptime
# shellcheck disable=SC2086 # the opens list is several arguments
java -Xmx3g $opens \
    -cp "rpg-spark/target/test-classes:rpg-spark/target/classes:rpg-dl4j/target/classes:rpg-core/target/classes:$(cat rpg-spark/target/test-classpath.txt)" \
    org.rpg4j.spark.SparkPruningExample "${1:-20}" "${2:-2}"
uptime
