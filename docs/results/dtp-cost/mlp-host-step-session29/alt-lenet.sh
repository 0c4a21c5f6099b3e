#!/bin/bash
N=${1:-2}; OUT=${2:-/tmp/s29/times-lenet.txt}
: > $OUT
V=("gmp:/tmp/s29/x" "dtp:/tmp/s29/x" "dtp:/tmp/s29/head")
for i in $(seq 1 $N); do
  for k in 0 1 2; do
    v=${V[$(( (k + i) % 3 ))]}; m=${v%%:*}; J=${v#*:}; L=$(basename $J)
    S=$(date +%s.%N)
    java -XX:+UseSerialGC -jar $J/otprune.jar prune --model /work/main/sample-models/lenet5-fmnist --data fashion-mnist --method $m --sparsity 0.98 --prune-epochs 3 --finetune-epochs 2 --seed 1 --force --out /tmp/s29/altl-$m-$L-$i > /tmp/s29/altl-$m-$L-$i.log 2>&1
    E=$(date +%s.%N)
    echo "$i $m $L $(echo "$E - $S" | bc) $(grep -o 'final accuracy [0-9.]*%' /tmp/s29/altl-$m-$L-$i.log)" >> $OUT
  done
done
echo finished >> $OUT
