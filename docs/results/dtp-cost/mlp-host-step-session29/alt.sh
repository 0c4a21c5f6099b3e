#!/bin/bash
# alternate GMP (old jar = same GMP code) and DTP (host path jar), N rounds, order flipped each round
N=${1:-6}; OUT=${2:-/tmp/s29/times-alt2.txt}
: > $OUT
for i in $(seq 1 $N); do
  if [ $((i % 2)) = 1 ]; then order="gmp dtp"; else order="dtp gmp"; fi
  for m in $order; do
    S=$(date +%s.%N)
    java -XX:+UseSerialGC -jar /tmp/s29/head/otprune.jar prune --model /work/main/sample-models/mlp-300-100-fmnist --data fashion-mnist --method $m --sparsity 0.98 --prune-epochs 3 --finetune-epochs 2 --seed 1 --force --out /tmp/s29/alt2-$m-$i > /tmp/s29/alt2-$m-$i.log 2>&1
    E=$(date +%s.%N)
    echo "$i $m $(echo "$E - $S" | bc) $(grep -o 'final accuracy [0-9.]*%' /tmp/s29/alt2-$m-$i.log)" >> $OUT
  done
done
