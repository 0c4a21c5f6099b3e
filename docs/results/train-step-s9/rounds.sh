#!/bin/bash
# Alternated rounds: the workbench with the kernel crop (commit 74c7a2a), without it (7d9abaf), PyTorch.
cd /work/main
O=docs/results/train-step-s9
ARGS="bench train --model /tmp/onnxrun/resnet18_bn --data fashion-mnist-small --batch-size 64 --steps 20 --warmup 3"
for r in 1 2 3 4 5 6 7 8 9; do
  new() { java -jar /tmp/s9/new/otprune.jar $ARGS --out $O/wb-$r.json > $O/wb-$r.log 2>&1; }
  base() { java -cp "/tmp/base-classes:/tmp/s9/new/lib/*" io.otprune.cli.Main $ARGS --out $O/base-$r.json > $O/base-$r.log 2>&1; }
  pt() { /usr/bin/python3 docs/onnx/torch-train-step.py --arch resnet18 --threads 2 --batch 64 --steps 20 --warmup 3 > $O/pt-$r.json 2>$O/pt-$r.err; }
  case $((r % 3)) in
    1) new; pt; base;;
    2) pt; base; new;;
    0) base; new; pt;;
  esac
done
echo done > $O/DONE
