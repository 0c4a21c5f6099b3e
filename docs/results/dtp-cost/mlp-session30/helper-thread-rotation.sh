#!/bin/bash
# GMP, DTP inline (TMP_INLINE set) and DTP with a helper thread, from one temporary jar (not kept) in /tmp/s30/b
# rotate gmp / dtp inline / dtp helper
N=$1; OUT=$2; : > $OUT
V=("gmp:" "dtp:inline" "dtp:helper")
for i in $(seq 1 $N); do
  for k in 0 1 2; do
    v=${V[$(( (k + i) % 3 ))]}; m=${v%%:*}; mode=${v#*:}
    S=$(date +%s.%N)
    if [ "$mode" = inline ]; then export TMP_INLINE=1; else unset TMP_INLINE; fi
    java -XX:+UseSerialGC -jar /tmp/s30/b/otprune.jar prune --model /work/main/sample-models/mlp-300-100-fmnist --data fashion-mnist --method $m --sparsity 0.98 --prune-epochs 3 --finetune-epochs 2 --seed 1 --force --out /tmp/s30/rot-$m$mode > /tmp/s30/rot-$m$mode-$i.log 2>&1
    E=$(date +%s.%N)
    echo "$i $m$mode $(echo "$E - $S" | bc) $(grep -o 'method [0-9.]*' /tmp/s30/rot-$m$mode-$i.log | head -3 | tr '\n' ' ') $(grep TT /tmp/s30/rot-$m$mode-$i.log | grep -v ' 0.0 ms' | cut -c1-90)" >> $OUT
  done
done
