#!/bin/bash
# rotate: gmp, dtp (tensor path: the jar before this session's change), dtp (host path)
# usage: [MODEL=mlp-300-100] [PREFIX=alt3] alt3.sh ROUNDS OUT (lenet5's rotation: MODEL=lenet5 PREFIX=altl)
N=${1:-4}; OUT=${2:-/tmp/s29/times-alt3.txt}; MODEL=${MODEL:-mlp-300-100}; P=${PREFIX:-alt3}
: > $OUT
V=("gmp:/tmp/s29/x" "dtp:/tmp/s29/x" "dtp:/tmp/s29/head")
for i in $(seq 1 $N); do
  for k in 0 1 2; do
    v=${V[$(( (k + i) % 3 ))]}; m=${v%%:*}; J=${v#*:}; L=$(basename $J)
    S=$(date +%s.%N)
    java -XX:+UseSerialGC -jar $J/otprune.jar prune --model /work/main/sample-models/$MODEL-fmnist --data fashion-mnist --method $m --sparsity 0.98 --prune-epochs 3 --finetune-epochs 2 --seed 1 --force --out /tmp/s29/$P-$m-$L-$i > /tmp/s29/$P-$m-$L-$i.log 2>&1
    E=$(date +%s.%N)
    echo "$i $m $L $(echo "$E - $S" | bc) $(grep -o 'final accuracy [0-9.]*%' /tmp/s29/$P-$m-$L-$i.log)" >> $OUT
  done
done
