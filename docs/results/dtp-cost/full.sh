#!/bin/bash
# vgg-small, channels at 80% parameters, 1 + 1 epochs, full Fashion-MNIST: DTP vs GMP wall time, one run at a time
cd /tmp/b17
for m in dtp gmp; do
  rm -rf full-$m
  /usr/bin/time -f "$m wall %e s" java -cp "/work/main/target/classes:/work/main/target/lib/*" io.otprune.cli.Main prune \
    --model /work/main/sample-models/vgg-small-fmnist --method $m --granularity structured --budget params \
    --sparsity 0.8 --data fashion-mnist --prune-epochs 1 --finetune-epochs 1 --out /tmp/b17/full-$m > full-$m.log 2>&1
  tail -1 full-$m.log
done
