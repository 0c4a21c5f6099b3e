#!/bin/bash
# the other imported torchvision CNNs: structured 50% FLOPs, one-shot magnitude (untrained weights, for the table's
# achieved budget, compact and ORT checks and latency), channel multiple 8
while [ ! -f /work/main/docs/results/sensitivity/done ]; do sleep 5; done
cd /work/main
R=docs/results/onnx-session6/zoo; mkdir -p $R
J="java -cp /tmp/bnew4/otprune.jar:/tmp/bnew4/lib/* io.otprune.cli.Main"
for m in mobilenet_v3_small mobilenet_v3_large squeezenet1_1 resnet34 resnet50; do
  M=docs/results/onnx/models/onnx-zoo-$m
  $J prune --model $M --data fashion-mnist-small --method magnitude --granularity structured --budget flops --sparsity 0.5 --channel-multiple 8 --prune-epochs 0 --finetune-epochs 0 --out /tmp/zp-$m --force > $R/prune-$m.log 2>&1
  $J export --model /tmp/zp-$m/model --onnx /tmp/zp-$m.onnx --force > $R/export-$m.log 2>&1
  $J bench onnx --onnx docs/results/onnx/onnx/onnx-zoo-$m.onnx,/tmp/zp-$m.onnx --batches 1,64 --runs 21 --out $R/bench-$m.json > $R/bench-$m.log 2>&1
  cp /tmp/zp-$m/summary.json $R/summary-$m.json 2>/dev/null
done
echo done > $R/done
