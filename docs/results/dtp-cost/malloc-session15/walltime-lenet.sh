#!/bin/bash
# session 15: lenet5 at 0.98, 3+2 epochs, full Fashion-MNIST, seed 1, one run at a time, DNNL_MAX_CPU_ISA=SSE41 (Zen 5):
# gmp and dtp (commit 3bfa8fa's jar), without and with glibc's two thresholds
cd /work/main
export DNNL_MAX_CPU_ISA=SSE41
out=/tmp/s15/walltime-lenet.txt
for env in "" "MALLOC_MMAP_THRESHOLD_=268435456 MALLOC_TRIM_THRESHOLD_=1073741824"; do
  for m in gmp dtp; do
    o=/tmp/s15/wtl/$m-${env:+trim}
    rm -rf $o
    s=$(date +%s.%N)
    env $env java -jar /tmp/s15/b/otprune.jar sweep --models sample-models/lenet5-fmnist --methods $m --sparsities 0.98 --seeds 1 \
      --data fashion-mnist --prune-epochs 3 --finetune-epochs 2 --out $o > /dev/null 2>&1
    e=$(date +%s.%N)
    acc=$(python3 -c "import json,glob;print(json.load(open(glob.glob('$o/*/summary.json')[0]))['finalAccuracy'])")
    echo "$m ${env:-default malloc}: $(echo "$e - $s" | bc) s, final $acc" >> $out
  done
done
