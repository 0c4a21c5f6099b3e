#!/bin/bash
# rotate GMP and DTP with one jar: rotation.sh ROUNDS OUT JARDIR (runs land in /tmp/s30)
N=$1; OUT=$2; J=$3; : > $OUT
V=(gmp dtp)
for i in $(seq 1 $N); do
  for k in 0 1; do
    m=${V[$(( (k + i) % 2 ))]}
    S=$(date +%s.%N)
    java -XX:+UseSerialGC -jar $J/otprune.jar prune --model /work/main/sample-models/mlp-300-100-fmnist --data fashion-mnist --method $m --sparsity 0.98 --prune-epochs 3 --finetune-epochs 2 --seed 1 --force --out /tmp/s30/rot2-$m > /tmp/s30/rot2-$m-$i.log 2>&1
    E=$(date +%s.%N)
    echo "$i $m $(echo "$E - $S" | bc) $(grep -o 'final accuracy [0-9.]*%' /tmp/s30/rot2-$m-$i.log)" >> $OUT
  done
done
