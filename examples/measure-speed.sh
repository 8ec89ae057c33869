#!/usr/bin/env bash
# Measures training images/s of each example model on this machine: dense training on the built-in
# synthetic data, a fixed number of iterations, and the throughput of the last progress window
# (after the first iterations, which include JIT and workspace warm-up).
#
#   examples/measure-speed.sh [auto|standard|fast] [iterations] [model ...]
#
# Run it on an otherwise idle machine: on two cores any concurrent build halves the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
layers="${1:-auto}"
iterations="${2:-8}"
window=$((iterations / 2))
shift $(( $# > 2 ? 2 : $# ))
models="${*:-small-cnn resnet20 resnet32 resnet56 vgg19}"
mvn -B -q -Dstyle.color=never -pl examples -am -DskipTests compile
echo "model       batch  layers    img/s (iterations $((iterations - window + 1))-$iterations)  load average"
for model in $models; do
  case "$model" in small-cnn) batch=128 ;; vgg19) batch=32 ;; *) batch=64 ;; esac
  set -- "$model" "$batch"
  out="$(mktemp -d)"
  line="$(mvn -B -q -Dstyle.color=never -pl examples -am -DskipTests compile exec:java -Dexec.args="--model $1 --dataset synthetic --method dense \
      --layers $layers --batch-size $2 --subset $(( $2 * iterations )) --test-subset 64 \
      --max-iterations $iterations --progress-every $window --output $out" | grep "iter $iterations/" || true)"
  ips="$(sed -n 's/.*| \([0-9.]*\) img\/s |.*/\1/p' <<<"$line")"
  printf "%-11s %5s  %-8s  %8s                     %s\n" "$1" "$2" "$layers" "${ips:-failed}" \
      "$(cut -d' ' -f1 /proc/loadavg)"
  rm -rf "$out"
done
