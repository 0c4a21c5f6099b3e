#!/bin/bash
# overlap-rotation.sh ROUNDS OUT JARDIR: GMP, DTP inline (dtp0) and DTP with OTPRUNE_OVERLAP=1 (dtp1) rotated,
# with the jar of overlap-prototype.diff; run folders and logs in $RUNS (default /tmp/otprune-rotation)
N=$1; OUT=$2; J=$3; : > $OUT; : > $OUT-epochs.txt
mkdir -p ${RUNS:-/tmp/otprune-rotation}
V=(gmp dtp0 dtp1)
for i in $(seq 1 $N); do
  for k in 0 1 2; do
    v=${V[$(( (k + i) % 3 ))]}; m=${v%[01]}; o=${v#dtp}; [ "$m" = gmp ] && o=0
    S=$(date +%s.%N)
    OTPRUNE_OVERLAP=$o java -XX:+UseSerialGC -jar $J/otprune.jar prune --model $(cd "$(dirname "$0")/../../../.." && pwd)/sample-models/mlp-300-100-fmnist --data fashion-mnist --method $m --sparsity 0.98 --prune-epochs 3 --finetune-epochs 2 --seed 1 --force --out ${RUNS:-/tmp/otprune-rotation}/r3-$v > ${RUNS:-/tmp/otprune-rotation}/r3-$v-$i.log 2>&1
    E=$(date +%s.%N)
    echo "$i $v $(echo "$E - $S" | bc) $(grep -o 'final accuracy [0-9.]*%' ${RUNS:-/tmp/otprune-rotation}/r3-$v-$i.log)" >> $OUT
    { echo "== round $i $v"; grep -E '^\[(prune|finetune)\] +(epoch|split)' ${RUNS:-/tmp/otprune-rotation}/r3-$v-$i.log; } >> $OUT-epochs.txt
  done
done
