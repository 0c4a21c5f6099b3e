#!/usr/bin/env bash
# gmp and dtp, resnet20 channels at 80% of the parameters, 10k subset, 1 + 0 epochs, seed 1: subnormals flushed (the
# default) and kept (OTPRUNE_DENORMALS=keep); whole-process seconds, final accuracy and hashes of masks and weights.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
for m in gmp dtp; do for mode in flush keep; do
  out=$(mktemp -d)/run
  if [ $mode = keep ]; then export OTPRUNE_DENORMALS=keep; else unset OTPRUNE_DENORMALS; fi
  /usr/bin/time -f "$m $mode: %e s" java -jar target/otprune.jar prune --model sample-models/resnet20-fmnist \
      --data fashion-mnist-small --method $m --granularity structured --budget params --sparsity 0.8 \
      --prune-epochs 1 --finetune-epochs 0 --seed 1 --out "$out" 2>&1 | grep -E ": [0-9.]+ s$"
  python3 -c "import json;s=json.load(open('$out/summary.json'));print('  final', s['finalAccuracy'])"
  md5sum "$out/masks.json" "$out"/model/*.params | sed "s|$out/||"
  rm -rf "$(dirname "$out")"
done; done
