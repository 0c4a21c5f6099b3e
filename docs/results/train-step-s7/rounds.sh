#!/bin/bash
cd /work/main
for r in 1 2 3 4 5 6 7 8 9; do
  wb() { java -jar /tmp/exp3/otprune.jar bench train --model /tmp/onnxrun/resnet18_bn --data fashion-mnist-small --batch-size 64 --steps 20 --warmup 3 --out docs/results/train-step-s7/wb-$r.json > docs/results/train-step-s7/wb-$r.log 2>&1; }
  pt() { /usr/bin/python3 docs/onnx/torch-train-step.py --arch resnet18 --threads 2 --batch 64 --steps 20 --warmup 3 > docs/results/train-step-s7/pt-$r.json 2>docs/results/train-step-s7/pt-$r.err; }
  if (( r % 2 )); then wb; pt; else pt; wb; fi
done
echo done > docs/results/train-step-s7/DONE
