#!/bin/bash
# rotate GMP (HEAD jar) / DTP (HEAD jar) / DTP with vectorised sums (spike jar, --add-modules jdk.incubator.vector)
N=$1; OUT=$2; : > $OUT
V=("gmp:x:" "dtp:x:" "dtp:v:--add-modules jdk.incubator.vector")
for i in $(seq 1 $N); do
  for k in 0 1 2; do
    v=${V[$(( (k + i) % 3 ))]}; m=${v%%:*}; rest=${v#*:}; J=${rest%%:*}; F=${rest#*:}
    S=$(date +%s.%N)
    java $F -XX:+UseSerialGC -jar /tmp/s30/$J/otprune.jar prune --model /work/main/sample-models/mlp-300-100-fmnist --data fashion-mnist --method $m --sparsity 0.98 --prune-epochs 3 --finetune-epochs 2 --seed 1 --force --out /tmp/s30/rot3-$m-$J > /tmp/s30/rot3-$m-$J-$i.log 2>&1
    E=$(date +%s.%N)
    echo "$i $m $J $(echo "$E - $S" | bc) $(grep -o 'final accuracy [0-9.]*%' /tmp/s30/rot3-$m-$J-$i.log) $(grep -o 'method [0-9.]*' /tmp/s30/rot3-$m-$J-$i.log | head -3 | tr '\n' ' ')" >> $OUT
  done
done
